"""The relationship ledger's rules, without a database: marker activities, when a stage may
rise or fall, when a person is going cold, and which gifts compliance must see."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.workspace.ledger_rules import (ACTIVITY_KINDS, MARKERS, going_cold, highest_marked, marker_stage,
                                           needs_compliance, stage_change_error)


def test_each_stage_is_marked_by_the_seed_s_activities_and_other_marks_none():
    assert MARKERS["acquaintance"] == ("phone_contact", "scheduled_visit", "small_gift")
    assert MARKERS["alliance"] == ("introductions", "internal_guide", "firm_support")
    assert len(ACTIVITY_KINDS) == 15 and ACTIVITY_KINDS[-1] == "other"
    assert (marker_stage("valuable_gift"), marker_stage("test_and_samples"), marker_stage("other")) == \
        ("trust", "engagement", None)
    assert highest_marked(["phone_contact", "other", "technical_exchange"]) == "engagement"


@pytest.mark.parametrize("current, target, evidence", [
    (None, "acquaintance", []), (None, "acquaintance", ["other"]),
    ("acquaintance", "trust", ["business_meal", "small_gift"]), ("trust", "alliance", ["valuable_gift"]),
])
def test_a_stage_cannot_rise_without_a_marker_activity_of_that_stage_or_higher(current, target, evidence):
    assert stage_change_error(current, target, evidence, "") == \
        ("stage", "rises only with a recorded marker activity of that stage or higher")


@pytest.mark.parametrize("current, target, evidence", [
    (None, "acquaintance", ["phone_contact"]), (None, "engagement", ["social_event"]),
    ("engagement", "alliance", ["firm_support"]),
])
def test_a_marker_activity_of_that_stage_or_higher_lets_it_rise(current, target, evidence):
    assert stage_change_error(current, target, evidence, "") is None


def test_a_fall_needs_a_reason_and_may_happen_without_any_activity():
    assert stage_change_error("trust", "acquaintance", [], " ") == ("reason", "say why the relationship has fallen back")
    assert stage_change_error("trust", "acquaintance", [], "他調職到子公司") is None
    assert stage_change_error("trust", "friend", [], "x")[0] == "stage"


def test_a_person_goes_cold_after_more_than_the_configured_quiet_days_counted_from_when_added_if_never():
    added, today = date(2026, 1, 1), date(2026, 3, 2)                 # 60 days later
    assert not going_cold(None, added, today, 60)
    assert going_cold(None, added, date(2026, 3, 3), 60)
    assert not going_cold(date(2026, 2, 1), added, date(2026, 3, 3), 60)
    assert going_cold(date(2026, 2, 1), added, date(2026, 4, 3), 60)


def test_compliance_sees_gifts_above_the_threshold_to_public_officials_or_without_a_rate_to_compare():
    threshold = Decimal("3000")
    assert needs_compliance(Decimal("3000"), False, threshold) == []
    assert needs_compliance(Decimal("3000.01"), False, threshold) == ["threshold"]
    assert needs_compliance(Decimal("10"), True, threshold) == ["public_official"]
    assert needs_compliance(None, True, threshold) == ["public_official", "other_currency"]
    assert needs_compliance(Decimal("10"), False, None) == ["other_currency"]
