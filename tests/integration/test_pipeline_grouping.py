"""The pipeline grouped by the database equals the grouping it replaced (row by row in Python,
`pipeline_reference`), on both databases: several steps, the four tiers, deal sizes in the base,
in another base and none, a project at five steps at once, votes open to three members at one step
(the project counted once there), projects at no user task, every viewer and filter - and with
the tiers ranked by the database and by Python."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from engine.db.schema import Instance, Task
from engine.db.workspace import AccountRevenue
from engine.demo import INFORMATION, PROCESS, complete_open
from engine.workspace.tiers import ranked_select
from .pipeline_reference import grouped_in_python

VIEWERS = ("amy", "bob", "ray", "sue", "col")
FILTERS = ({}, {"department": "south"}, {"rep": "amy"}, {"account_type": "national"})


def account(eng, owner, name, kind, amount, currency="TWD"):
    return eng.accounts.create(owner, {"name": name, "account_type": kind, "revenues": [
        {"year": 2025, "amount": amount, "currency": currency}]})


def project(eng, owner, name, account_id, until: tuple[str, ...]) -> str:
    iid = eng.start(PROCESS, owner, {"project_name": name, "account_id": account_id})
    for step in until:
        complete_open(eng, iid, step)
    return iid


@pytest.fixture
def spread(kam_eng):
    eng = kam_eng
    eng.add_user("sue", groups=["manager"], department="south", reports_to="dan")
    eng.add_user("ray", groups=["rep"], department="south", reports_to="sue")
    big = account(eng, "amy", "North A", "global", 800)
    mid = account(eng, "amy", "North B", "national", 150)
    small = account(eng, "amy", "North C", "regional", 100, "USD")      # no rate: C
    south = account(eng, "ray", "South A", "national", 500)
    review, vote = INFORMATION + ("proposal",), INFORMATION + ("proposal", "manager_review")
    made = {"started": project(eng, "amy", "Five steps at once", big, ()),
            "review A": project(eng, "amy", "Review A", big, review),
            "vote A": project(eng, "amy", "Vote A", big, vote),
            "vote B": project(eng, "amy", "Vote B", mid, vote),
            "vote C": project(eng, "amy", "Vote C", small, vote),
            "review C": project(eng, "amy", "Review C", small, review),
            "south": project(eng, "ray", "South", south, review),
            "south vote": project(eng, "ray", "South vote", south, vote),
            "no account": project(eng, "amy", "No account", big, review),
            "timer 1": project(eng, "amy", "Timer 1", mid, review),
            "timer 2": project(eng, "amy", "Timer 2", mid, vote)}
    with eng.ctx.uow() as uow:
        uow.session.execute(update(Instance).where(Instance.id == made["no account"]).values(account_id=None))
        uow.session.execute(update(Instance).where(Instance.id == made["review C"]).values(deal_size=None))
        uow.session.execute(update(Instance).where(Instance.id == made["vote C"]).values(deal_currency="USD"))
        uow.session.execute(update(Task).where(Task.instance_id.in_([made["timer 1"], made["timer 2"]]),
                                               Task.state == "open").values(state="completed"))
    return made


def as_tuples(rows):
    return [(r.step, r.name, r.tier, r.projects, r.value, str(r.value), r.without_value) for r in rows]


def same_everywhere(eng):
    for viewer in VIEWERS:
        for chosen in FILTERS:
            expected = as_tuples(grouped_in_python(eng, viewer, chosen))
            assert as_tuples(eng.reports.pipeline(viewer, chosen).rows) == expected


def test_the_fixture_has_every_case_the_grouping_must_keep_apart(spread, kam_eng):
    rows = grouped_in_python(kam_eng, "col")
    assert {r.tier for r in rows} == {"A", "B", "C", None}
    assert {r.step for r in rows if spread["started"] in r.instance_ids} == set(INFORMATION)
    votes = {r.tier: r for r in rows if r.step == "committee_vote"}
    assert sorted(votes["A"].instance_ids) == sorted([spread["vote A"], spread["south vote"]])   # South A is A too
    assert votes["A"].projects == 2 and len([t for t in kam_eng.instance(spread["vote A"]).tasks
                                             if t.bpmn_id == "committee_vote"]) == 3
    assert len({r.name for r in rows if r.step == ""}) == 2            # two stages, each at no task
    assert any(r.without_value for r in rows) and any(r.value for r in rows)


def test_the_database_groups_the_pipeline_as_python_did_for_every_viewer_and_filter(spread, kam_eng):
    same_everywhere(kam_eng)
    votes = {r.tier: r for r in kam_eng.reports.pipeline("col").rows if r.step == "committee_vote"}
    assert votes["A"].projects == 2 and votes["A"].value > 0         # three open votes each, two projects


def test_deal_sizes_kept_in_another_base_are_converted_one_by_one_as_before(spread, kam_eng, monkeypatch):
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2020-01-01", "rate": 30})
    same_everywhere(kam_eng)                                           # USD -> TWD for vote C
    monkeypatch.setenv("KAMFLOW_BASE_CURRENCY", "USD")
    same_everywhere(kam_eng)                                           # TWD has no rate into USD
    kam_eng.rates.set("zed", {"currency": "TWD", "valid_from": "2020-01-01", "rate": 0.03125})
    same_everywhere(kam_eng)


def test_tiers_python_ranks_are_applied_to_the_groups_when_the_database_cannot_rank_exactly(spread, kam_eng):
    other = account(kam_eng, "ray", "South B", "regional", 1)
    with kam_eng.ctx.uow() as uow:                                      # its revenue row rewritten around the engine
        uow.session.execute(update(AccountRevenue).where(AccountRevenue.account_id == other)
                            .values(base_amount=None, base_currency=None, amount=10_000))
    with kam_eng.ctx.uow(read_only=True) as uow:
        assert ranked_select(uow.session, 2025, kam_eng.ctx.clock().date()) is None
    same_everywhere(kam_eng)
    assert {r.tier for r in grouped_in_python(kam_eng, "col") if spread["vote A"] in r.instance_ids} == {"B"}
