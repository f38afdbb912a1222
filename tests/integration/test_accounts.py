"""Accounts, contacts and competitors through the engine's facade, on SQLite and PostgreSQL."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine import Conflict, NotAllowed, ValidationFailed

METRO = {"name": "台北捷運公司", "account_type": "national", "industry": "Public transport",
         "business": "Runs the metro of greater Taipei", "supporting_departments": ["IT", "Operations"],
         "contact_channels": [{"channel": "visit", "detail": "Monthly review at HQ"}],
         "criteria": {"sales_volume": 5, "technology_absorption": 4, "market_strength": 4, "financial_health": 5},
         "potential": {"amount": 12_000_000, "currency": "TWD"},
         "revenues": [{"year": 2024, "amount": 2_500_000, "currency": "TWD"},
                      {"year": 2025, "amount": 3_100_000.5, "currency": "TWD"}],
         "team": ["ann"], "executive_sponsor": "dan"}


def paths(exc: ValidationFailed) -> set[str]:
    return {e.path for e in exc.errors}


def stream(eng, account_id: str) -> list[str]:
    return [e.kind for e in reversed(eng.accounts.get(account_id, "amy").timeline)]


def test_an_account_keeps_its_profile_revenue_per_year_team_and_sponsor(eng):
    account_id = eng.accounts.create("amy", METRO)
    view = eng.accounts.get(account_id, "amy")
    assert (view.name, view.account_type, view.owner, view.team, view.executive_sponsor) == \
        ("台北捷運公司", "national", "amy", ["ann"], "dan")
    assert [(r.year, r.amount, r.currency) for r in view.revenues] == \
        [(2025, Decimal("3100000.50"), "TWD"), (2024, Decimal("2500000.00"), "TWD")]
    assert view.potential.amount == Decimal("12000000.00") and view.qualification_score == 88
    assert view.supporting_departments == ["IT", "Operations"] and view.tier == "A"
    assert view.may_edit and view.may_manage
    assert eng.accounts.document(account_id, "amy")[0]["revenues"][0] == \
        {"year": 2025, "amount": 3100000.5, "currency": "TWD"}
    assert stream(eng, account_id) == ["account_created"]


def test_a_refused_account_names_every_failing_field_and_saves_nothing(eng):
    too_long = "x" * 201                                   # Account.name is String(200)
    bad = {**METRO, "name": too_long, "account_type": "galactic", "team": ["nobody"],
           "revenues": [{"year": 2025, "amount": 1, "currency": "TWD"}, {"year": 2025, "amount": 2, "currency": "USD"}]}
    with pytest.raises(ValidationFailed) as refused:
        eng.accounts.create("amy", bad)
    assert {"$.name", "$.account_type"} <= paths(refused.value)
    with pytest.raises(ValidationFailed) as refused:
        eng.accounts.create("amy", {**bad, "name": "OK", "account_type": "global"})
    assert paths(refused.value) == {"$.team[0]", "$.revenues[1].year"}
    with pytest.raises(ValidationFailed) as refused:
        eng.accounts.create("amy", {"name": "   ", "account_type": "global"})
    assert paths(refused.value) == {"$.name"}
    assert eng.accounts.list("amy").total == 0


def test_a_change_made_after_the_form_opened_is_a_conflict_and_changes_nothing(eng):
    account_id = eng.accounts.create("amy", METRO)
    document, version = eng.accounts.document(account_id, "amy")
    profile = {k: v for k, v in document.items() if k not in ("owner", "team", "executive_sponsor")}
    eng.accounts.update(account_id, "ann", {**profile, "industry": "Rail"}, version)
    with pytest.raises(Conflict):
        eng.accounts.update(account_id, "amy", {**profile, "industry": "Metro"}, version)
    view = eng.accounts.get(account_id, "amy")
    assert view.industry == "Rail"
    event = view.timeline[0]
    assert (event.kind, event.actor, event.meta["fields"]) == ("account_updated", "ann", ["industry"])
    assert event.data == {"before": {"industry": "Public transport"}, "after": {"industry": "Rail"}}


def test_the_team_edits_the_profile_but_only_the_owner_or_an_admin_changes_who_looks_after_it(eng):
    account_id = eng.accounts.create("amy", METRO)
    with pytest.raises(NotAllowed):
        eng.accounts.set_our_side(account_id, "ann", {"owner": "ann"})
    with pytest.raises(NotAllowed):
        eng.accounts.update(account_id, "bob", {"name": "Taken over", "account_type": "global"})
    eng.accounts.set_our_side(account_id, "amy", {"owner": "ann", "team": ["amy"], "executive_sponsor": "col"})
    view = eng.accounts.get(account_id, "ann")
    assert (view.owner, view.team, view.executive_sponsor) == ("ann", ["amy"], "col")
    assert view.timeline[0].kind == "team_changed"
    eng.accounts.set_our_side(account_id, "zed", {"owner": "amy"})
    assert eng.accounts.get(account_id, "amy").team == []


def test_people_and_competitors_with_their_reps_are_kept_changed_removed_and_audited(eng):
    account_id = eng.accounts.create("amy", METRO)
    cio = eng.accounts.add_contact(account_id, "amy", {"name": "林主任", "title": "CIO", "department": "IT",
                                                       "decision_role": "decision_maker", "top_executive": True})
    buyer = eng.accounts.add_contact(account_id, "ann", {"name": "陳經理", "decision_role": "influencer",
                                                         "reports_to_id": cio})
    rival = eng.accounts.add_competitor(account_id, "amy", {
        "name": "Acme Systems", "products_in_use": "Ticketing gates", "customer_satisfaction": 2,
        "sales_reps": [{"name": "Mr. Lee", "sales_approach": "Price-led", "relationship_with_customer": "Weak"},
                       {"name": "Ms. Ho", "sales_approach": "Technical"}]})
    view = eng.accounts.get(account_id, "amy")
    assert [(c.name, c.decision_role, c.top_executive, c.reports_to_id) for c in view.contacts] == \
        [("林主任", "decision_maker", True, None), ("陳經理", "influencer", False, cio)]
    assert [(r.name, r.sales_approach) for r in view.competitors[0].sales_reps] == \
        [("Mr. Lee", "Price-led"), ("Ms. Ho", "Technical")]
    eng.accounts.change_competitor(rival, "amy", {"name": "Acme Systems", "customer_satisfaction": 3,
                                                  "sales_reps": [{"name": "Ms. Ho"}]})
    assert [r.name for r in eng.accounts.competitor(rival, "amy").sales_reps] == ["Ms. Ho"]
    eng.accounts.remove_contact(cio, "amy")
    assert eng.accounts.contact(buyer, "amy").reports_to_id is None
    eng.accounts.remove_competitor(rival, "amy")
    assert stream(eng, account_id) == ["account_created", "contact_added", "contact_added", "competitor_added",
                                       "competitor_updated", "contact_removed", "competitor_removed"]
    assert eng.verify_audit() == []


def test_reporting_lines_stay_within_the_account_and_never_make_a_circle(eng):
    account_id = eng.accounts.create("amy", METRO)
    other = eng.accounts.create("amy", {"name": "Other", "account_type": "regional"})
    boss = eng.accounts.add_contact(account_id, "amy", {"name": "Boss"})
    aide = eng.accounts.add_contact(account_id, "amy", {"name": "Aide", "reports_to_id": boss})
    stranger = eng.accounts.add_contact(other, "amy", {"name": "Stranger"})
    with pytest.raises(ValidationFailed) as refused:
        eng.accounts.change_contact(boss, "amy", {"name": "Boss", "reports_to_id": aide})
    assert refused.value.errors[0].message == "would make a circle of reporting lines"
    with pytest.raises(ValidationFailed) as refused:
        eng.accounts.add_contact(account_id, "amy", {"name": "X", "reports_to_id": stranger})
    assert paths(refused.value) == {"$.reports_to_id"}


def test_the_account_list_searches_filters_by_type_owner_and_tier_and_pages(eng):
    big = eng.accounts.create("amy", {**METRO, "name": "Big bank", "account_type": "global",
                                      "revenues": [{"year": 2025, "amount": 900, "currency": "TWD"}]})
    eng.accounts.create("amy", {"name": "Small shop", "account_type": "regional", "industry": "Retail",
                                "revenues": [{"year": 2025, "amount": 100, "currency": "TWD"}]})
    eng.accounts.create("ann", {"name": "Ann's own", "account_type": "regional"})
    assert [a.name for a in eng.accounts.list("amy").accounts] == ["Big bank", "Small shop"]
    assert [a.name for a in eng.accounts.list("bob").accounts] == ["Ann's own", "Big bank", "Small shop"]
    assert [a.name for a in eng.accounts.list("bob", search="retail").accounts] == ["Small shop"]
    assert [a.name for a in eng.accounts.list("bob", account_type="regional", owner="ann").accounts] == ["Ann's own"]
    found = eng.accounts.list("bob", tier="A")
    assert [(a.id, a.tier, a.latest_revenue.amount) for a in found.accounts] == [(big, "A", Decimal("900.00"))]
    page = eng.accounts.list("bob", limit=2, offset=2)
    assert (page.total, [a.name for a in page.accounts]) == (3, ["Small shop"])
