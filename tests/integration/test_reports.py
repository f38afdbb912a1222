"""The reports over real rows on both databases: each report's rows, who sees which rows, the
filters, and an admin's rewind closing its task rows as `rewound`.

The organisation (tests/integration/conftest.py) plus ray, a rep in south under sue: amy's
rows are north's, ray's are south's; bob manages north, the committee sees everything.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from engine import ValidationFailed
from engine.db.schema import Task
from engine.demo import complete_open, to_committee, to_manager_review
from .pipeline_reference import grouped_in_python

NORTH_ACCOUNTS = {"北區甲 North A", "北區乙 North B", "北區丙 North C"}


def account(eng, owner, name, kind, *revenues):
    return eng.accounts.create(owner, {"name": name, "account_type": kind, "revenues": [
        {"year": year, "amount": amount, "currency": currency} for year, amount, currency in revenues]})


@pytest.fixture
def world(kam_eng):
    eng = kam_eng
    eng.add_user("sue", groups=["manager"], department="south", reports_to="dan")
    eng.add_user("ray", groups=["rep"], department="south", reports_to="sue")
    account(eng, "amy", "北區甲 North A", "global", (2025, 800, "TWD"), (2024, 10, "TWD"))
    account(eng, "amy", "北區乙 North B", "national", (2025, 150, "TWD"))
    account(eng, "amy", "北區丙 North C", "regional", (2025, 100, "USD"))
    account(eng, "ray", "南區甲 South A", "national", (2025, 500, "TWD"))
    returned = to_manager_review(eng, "amy", "Returned once")
    complete_open(eng, returned, "manager_review", "return")
    complete_open(eng, returned, "proposal")
    complete_open(eng, returned, "manager_review")                      # now at the committee vote
    withdrawn = to_manager_review(eng, "amy", "Withdrawn")
    eng.withdraw(withdrawn, "amy", "customer postponed")
    rewound = to_committee(eng, "amy", "Rewound")
    eng.admin.rewind(rewound, "zed", "proposal")
    south = to_manager_review(eng, "ray", "South project")
    return {"returned": returned, "withdrawn": withdrawn, "rewound": rewound, "south": south}


def test_the_portfolio_ranks_by_revenue_with_tiers_and_keeps_an_unconverted_account_apart(world, kam_eng):
    report = kam_eng.reports.portfolio("bob", {"year": "2025"})
    rows = {r.name: r for r in report.rows}
    assert NORTH_ACCOUNTS <= set(rows) and "南區甲 North A" not in rows and "南區甲 South A" not in rows
    assert (rows["北區甲 North A"].rank, rows["北區甲 North A"].tier, rows["北區甲 North A"].revenue) == (1, "A", 800)
    assert rows["北區乙 North B"].tier == "B" and rows["北區乙 North B"].cumulative == Decimal(1)
    assert rows["北區丙 North C"].no_rate and rows["北區丙 North C"].rank is None
    assert report.total == 950 and report.top_share == Decimal(800) / Decimal(950)
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2025-01-01", "rate": 30})
    rows = {r.name: r for r in kam_eng.reports.portfolio("bob", {"year": "2025"}).rows}
    assert (rows["北區丙 North C"].rank, rows["北區丙 North C"].revenue, rows["北區丙 North C"].tier) == (1, 3000, "A")


def test_the_account_list_and_the_portfolios_company_tier_are_one_definition_with_the_same_conversion(world, kam_eng):
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2025-01-01", "rate": 30})   # North C: 3000 TWD
    listed = {a.name: a.tier for a in kam_eng.accounts.list("col", limit=100).accounts}
    everyone = kam_eng.reports.portfolio("col", {"year": "2025"}).rows
    assert {r.name: r.company_tier for r in everyone} == listed and listed["北區丙 North C"] == "A"
    assert all(r.tier == r.company_tier for r in everyone)        # the whole company in view: the same tiers
    south = next(r for r in kam_eng.reports.portfolio("ray", {"year": "2025"}).rows if r.name == "南區甲 South A")
    assert (south.tier, south.company_tier) == ("A", "B")         # first of ray's; third of the company's 4,450
    assert kam_eng.accounts.get(south.account_id, "ray").tier == "B"


def test_the_portfolio_filters_by_department_rep_and_account_type(world, kam_eng):
    names = lambda **f: {r.name for r in kam_eng.reports.portfolio("col", {"year": "2025", **f}).rows}  # noqa: E731
    assert "南區甲 South A" in names() and NORTH_ACCOUNTS <= names()
    assert "南區甲 South A" in names(department="south") and not NORTH_ACCOUNTS & names(department="south")
    assert names(rep="amy", account_type="global") == {"北區甲 North A"}


def test_the_pipeline_counts_open_projects_by_step_with_the_budget_as_value(world, kam_eng):
    rows = kam_eng.reports.pipeline("bob").rows
    at = {r.step: r for r in rows}
    ids = {r.step: set(r.instance_ids) for r in grouped_in_python(kam_eng, "bob")}
    assert ids["committee_vote"] == {world["returned"]} and ids["proposal"] == {world["rewound"]}
    assert (at["committee_vote"].projects, at["proposal"].projects) == (1, 1)
    assert at["committee_vote"].value == 2_500_000 and at["committee_vote"].without_value == 0
    seen = set().union(*ids.values())
    assert world["withdrawn"] not in seen and world["south"] not in seen
    assert sum(r.projects for r in rows) == sum(len(i) for i in ids.values())


def test_the_pipeline_converts_a_deal_size_kept_in_a_base_an_admin_has_since_changed(world, kam_eng, monkeypatch):
    monkeypatch.setenv("KAMFLOW_BASE_CURRENCY", "USD")
    assert {r.step: r.without_value for r in kam_eng.reports.pipeline("bob").rows}["committee_vote"] == 1
    kam_eng.rates.set("zed", {"currency": "TWD", "valid_from": "2025-01-01", "rate": 0.03125})
    at = {r.step: r for r in kam_eng.reports.pipeline("bob").rows}
    assert (at["committee_vote"].value, at["committee_vote"].without_value) == (Decimal("78125.00"), 0)


def test_cycle_time_counts_returns_rewinds_and_withdrawals_from_the_task_rows(world, kam_eng):
    steps = {s.step: s for s in kam_eng.reports.cycle_time("bob").steps}
    assert steps["proposal"].returns == 2                    # after the manager's return and after the rewind
    assert steps["manager_review"].time.count == 3 and steps["manager_review"].returns == 1
    assert steps["manager_review"].cancelled == 1            # the withdrawn project's open review
    assert steps["committee_vote"].rewound == 3              # the three open votes the rewind closed
    with kam_eng.ctx.uow(read_only=True) as uow:
        states = set(uow.session.scalars(select(Task.state).where(Task.instance_id == world["rewound"])))
    assert states == {"completed", "rewound", "open"}


def test_returns_count_decisions_reasons_and_first_pass_per_review_step(world, kam_eng):
    report = kam_eng.reports.returns("bob")
    review = {s.step: s for s in report.steps}["manager_review"]
    assert (review.decisions, review.returns, review.projects, review.first_pass) == (3, 1, 2, 1)
    assert review.reasons == {"incomplete_information": 1} and review.return_rate == pytest.approx(1 / 3)
    assert [(r.rep, r.reviewed, r.first_pass) for r in report.reps] == [("amy", 2, 1)]


def test_returns_break_down_by_the_owners_department_with_their_reasons(world, kam_eng):
    complete_open(kam_eng, world["south"], "manager_review", "return", manager_review={
        "decision": "return", "return_to": "proposal", "reason_code": "unclear_value", "comment": "價值不明 / unclear"})
    departments = {d.department: d for d in kam_eng.reports.returns("col").departments}
    assert set(departments) == {"north", "south"}
    north, south = departments["north"], departments["south"]
    assert (north.decisions, north.returns, north.reasons) == (3, 1, {"incomplete_information": 1})
    assert (south.decisions, south.returns, south.reasons, south.return_rate) == (1, 1, {"unclear_value": 1}, 1)
    assert [d.department for d in kam_eng.reports.returns("bob").departments] == ["north"]
    assert [d.department for d in kam_eng.reports.returns("col", {"department": "south"}).departments] == ["south"]


def test_overdue_lists_open_tasks_past_due_by_person_and_step(world, kam_eng):
    past = kam_eng.ctx.clock() - timedelta(days=3)
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Task).where(Task.state == "open").values(due_at=past))
    rows = {(r.waiting_on, r.step): r for r in kam_eng.reports.overdue("bob")}
    assert rows[("amy", "proposal")].instance_ids == [world["rewound"]]
    assert all(world["south"] not in r.instance_ids for r in rows.values())
    assert [r.instance_ids for r in kam_eng.reports.overdue("ray")] == [[world["south"]]]


def test_the_home_pages_overdue_groups_are_the_overdue_reports_rows_counted_by_the_database(world, kam_eng):
    now = kam_eng.ctx.clock()
    with kam_eng.ctx.uow() as uow:
        open_ids = uow.session.scalars(select(Task.id).where(Task.state == "open").order_by(Task.id)).all()
        for days, task_id in enumerate(open_ids):                      # one not yet due, the others days apart
            uow.session.execute(update(Task).where(Task.id == task_id).values(due_at=now - timedelta(days=days - 1)))
        uow.session.execute(update(Task).where(Task.id == open_ids[-1]).values(assignee=None, candidate_group="committee"))

    def shown(rows):
        return [(r.waiting_on, r.group, r.step, r.name, r.tasks, r.oldest_due) for r in rows]
    for viewer in ("bob", "ray", "sue", "col"):
        assert shown(kam_eng.reports.overdue_groups(viewer)) == shown(kam_eng.reports.overdue(viewer))
    assert sum(r.tasks for r in kam_eng.reports.overdue_groups("col")) == len(open_ids) - 1
    assert {r.group for r in kam_eng.reports.overdue_groups("col")} == {True, False}


def test_a_rep_sees_none_of_another_departments_rows_in_any_report(world, kam_eng):
    assert not {r.name for r in kam_eng.reports.portfolio("ray", {"year": "2025"}).rows} & NORTH_ACCOUNTS
    assert {i for r in grouped_in_python(kam_eng, "ray") for i in r.instance_ids} == {world["south"]}
    assert [(r.step, r.projects) for r in kam_eng.reports.pipeline("ray").rows] == [("manager_review", 1)]
    assert kam_eng.reports.returns("ray").steps == []
    steps = kam_eng.reports.cycle_time("ray")
    assert steps.projects == 1 and all(s.returns == 0 and s.rewound == 0 for s in steps.steps)
    assert kam_eng.reports.cycle_time("col").projects == 4


def test_a_bad_filter_is_refused_naming_its_field(world, kam_eng):
    with pytest.raises(ValidationFailed) as caught:
        kam_eng.reports.pipeline("bob", {"account_type": "huge", "until": "yesterday"})
    assert {e.path for e in caught.value.errors} == {"$.account_type", "$.until"}


def test_relationship_coverage_shows_stages_unwon_decision_makers_and_activity_per_rep_and_month(world, kam_eng):
    north = next(a.id for a in kam_eng.accounts.list("amy", search="北區甲").accounts)
    boss = kam_eng.accounts.add_contact(north, "amy", {"name": "王總經理", "decision_role": "decision_maker"})
    kam_eng.accounts.add_contact(north, "amy", {"name": "李課長", "decision_role": "influencer"})
    kam_eng.ledger.record_activity(boss, "amy", {"kind": "phone_contact", "occurred_on": "2026-03-02"})
    report = kam_eng.reports.coverage("bob", {"since": "2026-03-01", "until": "2026-03-31"})
    row = next(r for r in report.accounts if r.account_id == north)
    assert row.stages["acquaintance"] == 1 and sum(row.stages.values()) == 2     # the activity made her known
    assert row.makers_at_acquaintance == ["王總經理"] and row.activities == 1
    assert report.activity == [("amy", "2026-03", 1)]
    assert all(r.account_id != north for r in kam_eng.reports.coverage("ray").accounts)
    assert kam_eng.reports.coverage("bob", {"since": "2026-04-01"}).activity == []


def test_the_committees_coverage_of_every_account_counts_what_the_departments_views_count(world, kam_eng):
    """The committee's view without filters reads contacts and activities without the accounts-in-view
    clause; its rows must be those of the departments' views put together, activity included."""
    for rep, name in (("amy", "北區甲"), ("ray", "南區甲")):
        account_id = next(a.id for a in kam_eng.accounts.list(rep, search=name).accounts)
        maker = kam_eng.accounts.add_contact(account_id, rep, {"name": f"{rep} 總經理", "decision_role": "decision_maker"})
        kam_eng.accounts.add_contact(account_id, rep, {"name": f"{rep} 課長", "decision_role": "influencer"})
        kam_eng.ledger.record_activity(maker, rep, {"kind": "phone_contact", "occurred_on": "2026-03-02"})
    every = kam_eng.reports.coverage("col")
    parts = [kam_eng.reports.coverage("col", {"department": d}) for d in ("north", "south")]
    as_tuples = lambda rows: sorted((r.account_id, tuple(sorted(r.stages.items())), tuple(r.makers_at_acquaintance),  # noqa: E731
                                     r.going_cold, r.activities) for r in rows)
    assert as_tuples(every.accounts) == as_tuples([*parts[0].accounts, *parts[1].accounts])
    assert sorted(every.activity) == sorted(parts[0].activity + parts[1].activity) == [
        ("amy", "2026-03", 1), ("ray", "2026-03", 1)]
    assert sum(r.activities for r in every.accounts) == 2 and len(every.accounts) >= 4


def test_cycle_times_one_statement_gives_the_pure_definitions_figures_over_the_same_task_rows(world, kam_eng):
    from engine.reports.durations import Activation, end_to_end_spread, microseconds, step_times
    hours = [5, 1, 3, 3, 8, 2, 13, 1]                        # ties, an odd and an even count per step
    with kam_eng.ctx.uow() as uow:              # whole seconds: end to end is rounded to milliseconds
        tasks = list(uow.session.scalars(select(Task).order_by(Task.created_at, Task.id)))
        for task in tasks:
            task.created_at = task.created_at.replace(microsecond=0)
            task.closed_at = task.closed_at and task.closed_at.replace(microsecond=0)
        for i, task in enumerate(t for t in tasks if t.state == "completed"):
            task.closed_at = task.created_at + timedelta(hours=hours[i % len(hours)], seconds=i)
        rows = [Activation(t.instance_id, t.bpmn_id, t.name, t.created_at, t.closed_at, t.state) for t in tasks]
    with kam_eng.ctx.uow(read_only=True) as uow:           # the times edited above, kept by the database
        kept = uow.session.execute(select(Task.created_at, Task.closed_at, Task.duration_us)
                                   .where(Task.state == "completed")).all()
    assert all(us == microseconds(opened, closed) for opened, closed, us in kept)
    report = kam_eng.reports.cycle_time("col")
    expected = {s.step: s for s in step_times(rows)}
    assert {s.step: s for s in report.steps} == expected and len(expected) >= 3
    assert report.end_to_end == end_to_end_spread(rows) and report.projects == len({a.instance_id for a in rows})
    assert [s.time.median or 0 for s in report.steps] == sorted((s.time.median or 0 for s in report.steps), reverse=True)
