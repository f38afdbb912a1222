"""The relationship ledger through the engine: activities raise stages, falls need reasons,
every change is history on the account's stream, targets and going cold; both databases."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from engine import Engine, NotAllowed, ValidationFailed

from ..conftest import ROOT
from .conftest import ORG


class Clock:
    def __init__(self):
        self.now = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def days(self, n: int) -> None:
        self.now += timedelta(days=n)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def led(db_url, clock):
    engine = Engine(db_url, forms_dir=ROOT / "forms", clock=clock)
    for name, groups, dept, boss in ORG:
        engine.add_user(name, groups=groups, department=dept, reports_to=boss)
    yield engine
    engine.close()


def account_with_person(eng, role="decision_maker", **more) -> tuple[str, str]:
    account_id = eng.accounts.create("amy", {"name": "新北市捷運公司", "account_type": "regional"})
    contact_id = eng.accounts.add_contact(account_id, "amy", {"name": "王處長", "decision_role": role, **more})
    return account_id, contact_id


def stage(eng, contact_id) -> str | None:
    return eng.accounts.contact(contact_id, "amy").relationship_stage


def paths(exc) -> set[str]:
    return {e.path for e in exc.value.errors}


def test_a_marker_activity_raises_the_stage_and_other_activities_do_not(led):
    account_id, wang = account_with_person(led)
    led.ledger.record_activity(wang, "amy", {"kind": "other", "occurred_on": "2026-05-30", "notes": "寄送型錄"})
    assert stage(led, wang) is None
    led.ledger.record_activity(wang, "amy", {"kind": "business_meal", "occurred_on": "2026-05-31",
                                             "notes": "與王處長午餐，談票務系統"})
    led.ledger.record_activity(wang, "amy", {"kind": "phone_contact", "occurred_on": "2026-06-01"})
    assert stage(led, wang) == "engagement"                       # a lower marker never lowers it
    history = led.accounts.contact(wang, "amy").stage_history
    assert [(h.from_stage, h.to_stage, h.cause, h.by) for h in history] == [(None, "engagement", "activity", "amy")]
    page = led.ledger.of_account(account_id, "amy")
    assert [(a.kind, a.marks, a.contact_name) for a in page.activities] == [
        ("phone_contact", "acquaintance", "王處長"), ("business_meal", "engagement", "王處長"), ("other", None, "王處長")]
    events = [(e.kind, e.meta.get("kind"), e.data.get("notes")) for e in reversed(led.accounts.get(account_id, "amy").timeline)]
    assert events[-4:] == [("activity_recorded", "other", "寄送型錄"),
                           ("activity_recorded", "business_meal", "與王處長午餐，談票務系統"),
                           ("stage_changed", None, None), ("activity_recorded", "phone_contact", None)]


def test_a_stage_set_by_hand_rises_only_on_a_new_marker_activity_and_falls_only_with_a_reason(led, clock):
    _account, wang = account_with_person(led)
    with pytest.raises(ValidationFailed) as refused:
        led.ledger.change_stage(wang, "amy", {"stage": "acquaintance"})
    assert paths(refused) == {"$.stage"} and stage(led, wang) is None
    led.ledger.record_activity(wang, "amy", {"kind": "valuable_gift", "occurred_on": "2026-05-20"})
    assert stage(led, wang) == "trust"
    clock.days(1)
    with pytest.raises(ValidationFailed) as refused:
        led.ledger.change_stage(wang, "amy", {"stage": "engagement", "reason": "  "})
    assert paths(refused) == {"$.reason"}
    assert led.ledger.change_stage(wang, "amy", {"stage": "engagement", "reason": "換了新主管，關係要重建"})
    clock.days(1)
    with pytest.raises(ValidationFailed):                       # the gift before the fall is no evidence now
        led.ledger.change_stage(wang, "amy", {"stage": "trust"})
    led.ledger.record_activity(wang, "amy", {"kind": "family_activity", "occurred_on": "2026-06-02"})
    assert stage(led, wang) == "trust"
    history = led.accounts.contact(wang, "amy").stage_history
    assert [(h.to_stage, h.cause, h.reason) for h in history] == [
        ("trust", "activity", ""), ("engagement", "fall", "換了新主管，關係要重建"), ("trust", "activity", "")]


def test_activities_refuse_bad_input_naming_each_field_and_outsiders(led, clock):
    _account, wang = account_with_person(led)
    with pytest.raises(ValidationFailed) as refused:
        led.ledger.record_activity(wang, "amy", {"kind": "bribe", "occurred_on": "yesterday"})
    assert paths(refused) == {"$.kind", "$.occurred_on"}
    with pytest.raises(ValidationFailed) as refused:
        led.ledger.record_activity(wang, "amy", {"kind": "phone_contact", "occurred_on": "2026-06-02"})
    assert paths(refused) == {"$.occurred_on"}                   # tomorrow
    with pytest.raises(NotAllowed):
        led.ledger.record_activity(wang, "cat", {"kind": "phone_contact", "occurred_on": "2026-06-01"})
    assert led.ledger.of_contact(wang, "amy").activities == []
    clock.now += timedelta(hours=11)                             # 20:00 UTC: 04:00 on 2 June in Taipei
    led.ledger.record_activity(wang, "amy", {"kind": "phone_contact", "occurred_on": "2026-06-02"})
    assert [a.occurred_on for a in led.ledger.of_contact(wang, "amy").activities] == [date(2026, 6, 2)]


def test_decision_makers_get_a_target_and_quiet_people_go_cold_after_the_configured_days(led, clock):
    account_id, wang = account_with_person(led)
    lin = led.accounts.add_contact(account_id, "amy", {"name": "林科長", "decision_role": "influencer"})
    with pytest.raises(ValidationFailed) as refused:
        led.ledger.set_target(lin, "amy", {"stage": "trust", "due_on": "2026-12-31"})
    assert paths(refused) == {"$.stage"}
    led.ledger.set_target(wang, "amy", {"stage": "trust", "due_on": "2026-12-31"})
    target = led.ledger.of_contact(wang, "amy").targets[wang]
    assert (target.stage, target.due_on, target.reached, target.overdue) == ("trust", date(2026, 12, 31), False, False)
    led.ledger.record_activity(wang, "amy", {"kind": "phone_contact", "occurred_on": "2026-06-01"})
    clock.days(30)
    assert led.ledger.going_cold("amy") == []
    clock.days(31)                                               # 61 days: lin since added, wang since the call
    assert [(c.name, c.days_quiet) for c in led.ledger.going_cold("amy")] == [("林科長", 61), ("王處長", 61)]
    led.ledger.change_settings("zed", {"going_cold_days": 90, "gift_threshold_amount": "3000",
                                       "gift_threshold_currency": "TWD", "coverage_mode": "warn"})
    assert led.ledger.of_account(account_id, "amy").cold == []
    assert led.ledger.going_cold("cat") == []                    # nobody she looks after
