"""The committee's rounds and the project's deal size, kept beside the workflow for reports, on both
databases: a round opens with the rule the DMN decided on the deal size and closes with the tally's
outcome; a rewind, a withdrawal and a tie close it as such; the pipeline's value is the stored deal
size (the voting rule's once the committee began); the returns report counts votes by rule and
outcome for the rows its viewer may see."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from engine.db.committee import CommitteeRound
from engine.db.schema import Instance
from engine.demo import answer, complete_open, to_committee, to_manager_review

from .pipeline_reference import row_counting


def rounds(eng, iid: str) -> list[tuple]:
    with eng.ctx.uow(read_only=True) as uow:
        return [(r.voting_rule, r.outcome, r.members, r.approvals, r.returns, r.declines, r.closed_at is not None)
                for r in uow.session.scalars(select(CommitteeRound).where(CommitteeRound.instance_id == iid)
                                             .order_by(CommitteeRound.id))]


def deal(eng, iid: str) -> tuple:
    with eng.ctx.uow(read_only=True) as uow:
        inst = uow.session.get(Instance, iid)
        return inst.deal_size, inst.deal_currency


def budget(amount, currency="TWD") -> dict:
    project = answer("project_info")["project"]
    return {"project": {**project, "budget_amount": amount, "budget_currency": currency}}


def test_a_round_opens_under_the_rule_the_dmn_decided_and_closes_with_the_tallys_outcome(kam_eng):
    iid = to_committee(kam_eng, "amy", "Two thirds")                   # 2,500,000 TWD, national: two thirds
    assert rounds(kam_eng, iid) == [("two_thirds", None, 3, 0, 0, 0, False)]
    assert deal(kam_eng, iid) == (Decimal("2500000.00"), "TWD")
    votes = [t for t in kam_eng.instance(iid).tasks if t.bpmn_id == "committee_vote"]
    kam_eng.complete(votes[0].id, votes[0].assignee, answer("committee_vote", decision="return"))
    assert rounds(kam_eng, iid)[0][1:] == (None, 3, 0, 0, 0, False)    # still open while votes are missing
    for task in votes[1:]:
        kam_eng.complete(task.id, task.assignee, answer("committee_vote"))
    assert rounds(kam_eng, iid) == [("two_thirds", "approve", 3, 2, 1, 0, True)]


def test_a_returned_project_votes_again_in_a_new_round(kam_eng):
    iid = to_committee(kam_eng, "amy", "Again")
    complete_open(kam_eng, iid, "committee_vote", "return")
    complete_open(kam_eng, iid, "proposal")
    complete_open(kam_eng, iid, "manager_review")
    complete_open(kam_eng, iid, "committee_vote", "decline")
    assert rounds(kam_eng, iid) == [("two_thirds", "return", 3, 0, 3, 0, True),
                                    ("two_thirds", "decline", 3, 0, 0, 3, True)]


def test_a_small_deal_votes_by_majority_and_an_even_split_is_a_tie_for_the_chair(kam_eng):
    kam_eng.add_user("cal", groups=["committee"], department="hq", reports_to="dan")
    iid = kam_eng.start("key_account_development", "amy", {"project_name": "Small"})
    for step in ("customer_info", "competitor_info", "decision_makers", "decision_participants"):
        complete_open(kam_eng, iid, step)
    complete_open(kam_eng, iid, "project_info", project=budget(500_000)["project"])
    complete_open(kam_eng, iid, "proposal")
    complete_open(kam_eng, iid, "manager_review")
    votes = [t for t in kam_eng.instance(iid).tasks if t.bpmn_id == "committee_vote"]
    for task, decision in zip(votes, ("approve", "approve", "return", "return")):
        kam_eng.complete(task.id, task.assignee, answer("committee_vote", decision=decision))
    assert rounds(kam_eng, iid) == [("majority", "tie", 4, 2, 2, 0, True)]
    assert [t.bpmn_id for t in kam_eng.instance(iid).tasks] == ["chair_tiebreak"]


def test_a_rewind_and_a_withdrawal_close_the_open_round_as_such(kam_eng):
    rewound = to_committee(kam_eng, "amy", "Rewound")
    kam_eng.admin.rewind(rewound, "zed", "proposal")
    assert rounds(kam_eng, rewound) == [("two_thirds", "rewound", 3, 0, 0, 0, True)]
    withdrawn = to_committee(kam_eng, "amy", "Withdrawn")
    kam_eng.withdraw(withdrawn, "amy", "customer postponed")
    assert rounds(kam_eng, withdrawn) == [("two_thirds", "cancelled", 3, 0, 0, 0, True)]


def test_the_pipeline_values_a_project_at_its_stored_deal_size_not_todays_rate(kam_eng):
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2020-01-01", "rate": 30})
    iid = kam_eng.start("key_account_development", "amy", {"project_name": "In dollars"})
    for step in ("customer_info", "competitor_info", "decision_makers", "decision_participants"):
        complete_open(kam_eng, iid, step)
    complete_open(kam_eng, iid, "project_info", project=budget(50_000, "USD")["project"])
    assert deal(kam_eng, iid) == (Decimal("1500000.00"), "TWD")         # the budget at the day's rate
    complete_open(kam_eng, iid, "proposal")
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2021-01-01", "rate": 40})
    complete_open(kam_eng, iid, "manager_review")                      # the voting rule converts at 40
    assert deal(kam_eng, iid) == (Decimal("2000000.00"), "TWD") and rounds(kam_eng, iid)[0][0] == "two_thirds"
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2022-01-01", "rate": 10})
    row = row_counting(kam_eng, "bob", iid)
    assert row.value == Decimal("2000000.00") and row.without_value == 0   # what the committee saw
    fresh = to_manager_review(kam_eng, "amy", "No budget yet")
    with kam_eng.ctx.uow() as uow:
        uow.session.get(Instance, fresh).deal_size = None
    row = row_counting(kam_eng, "bob", fresh)
    assert row.without_value >= 1


def test_the_returns_report_counts_committee_votes_by_rule_and_outcome_for_its_viewer(kam_eng):
    kam_eng.add_user("sue", groups=["manager"], department="south", reports_to="dan")
    kam_eng.add_user("ray", groups=["rep"], department="south", reports_to="sue")
    approved = to_committee(kam_eng, "amy", "North approved")
    complete_open(kam_eng, approved, "committee_vote")
    returned = to_committee(kam_eng, "amy", "North returned")
    complete_open(kam_eng, returned, "committee_vote", "return")
    south = to_committee(kam_eng, "ray", "South declined")
    complete_open(kam_eng, south, "committee_vote", "decline")
    to_committee(kam_eng, "amy", "North open")
    everyone = {(v.rule, v.outcome): (v.rounds, v.members, v.approvals, v.returns, v.declines)
                for v in kam_eng.reports.returns("col").votes}
    assert everyone == {("two_thirds", "approve"): (1, 3, 3, 0, 0), ("two_thirds", "return"): (1, 3, 0, 3, 0),
                        ("two_thirds", "decline"): (1, 3, 0, 0, 3), ("two_thirds", "open"): (1, 3, 0, 0, 0)}
    assert [v.outcome for v in kam_eng.reports.returns("col").votes] == ["approve", "return", "decline", "open"]
    assert {v.outcome for v in kam_eng.reports.returns("bob").votes} == {"approve", "return", "open"}
    assert [(v.outcome, v.rounds) for v in kam_eng.reports.returns("ray").votes] == [("decline", 1)]
    assert kam_eng.reports.returns("col", {"department": "south"}).votes == kam_eng.reports.returns("ray").votes


def test_migration_0016_fills_earlier_projects_rounds_and_deal_sizes_as_the_engine_records_them(kam_eng):
    import importlib.util

    from sqlalchemy import delete, update

    from engine.db.connect import MIGRATIONS
    spec = importlib.util.spec_from_file_location("m0016", MIGRATIONS / "versions" / "0016_deal_size_and_committee_rounds.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    approved = to_committee(kam_eng, "amy", "Approved")
    complete_open(kam_eng, approved, "committee_vote")
    again = to_committee(kam_eng, "amy", "Returned then open")
    complete_open(kam_eng, again, "committee_vote", "return")
    complete_open(kam_eng, again, "proposal")
    complete_open(kam_eng, again, "manager_review")
    rewound = to_committee(kam_eng, "amy", "Rewound")
    kam_eng.admin.rewind(rewound, "zed", "proposal")
    early = to_manager_review(kam_eng, "amy", "Before the committee")
    ids = (approved, again, rewound, early)
    recorded = {iid: (rounds(kam_eng, iid), deal(kam_eng, iid)) for iid in ids}
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(delete(CommitteeRound))
        uow.session.execute(update(Instance).values(deal_size=None, deal_currency=None))
        migration._fill(uow.session.connection())
    filled = {iid: (rounds(kam_eng, iid), deal(kam_eng, iid)) for iid in ids}
    assert filled[rewound] == ([], recorded[rewound][1])      # rewound to before the rule: no rule left to read
    assert {i: filled[i] for i in ids if i != rewound} == {i: recorded[i] for i in ids if i != rewound}
    assert recorded[again][0][0][1] == "return" and recorded[again][0][1][1] is None
    assert recorded[early][1] == (Decimal("2500000.00"), "TWD") and recorded[early][0] == []


def test_upgrading_to_0016_adds_the_columns_and_fills_a_database_that_lacked_them(db_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from engine import Engine, demo
    from engine.db.connect import MIGRATIONS, make_engine

    from ..conftest import ROOT
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng)
    decided = to_committee(eng, "amy", "Decided")
    complete_open(eng, decided, "committee_vote", "decline")
    waiting = to_manager_review(eng, "amy", "Waiting")
    recorded = {iid: (rounds(eng, iid), deal(eng, iid)) for iid in (decided, waiting)}
    eng.close()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    db = make_engine(db_url)
    with db.begin() as conn:                          # later migrations' own downgrades, then 0016 undone by hand
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0016")
        conn.execute(text("DROP TABLE committee_rounds"))
        conn.execute(text("ALTER TABLE instances DROP COLUMN deal_currency"))
        conn.execute(text("ALTER TABLE instances DROP COLUMN deal_size"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0015'"))
    with db.begin() as conn:                          # the database as 0015 left it, upgraded
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    db.dispose()
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        assert {iid: (rounds(eng, iid), deal(eng, iid)) for iid in (decided, waiting)} == recorded
        assert recorded[decided][0] == [("two_thirds", "decline", 3, 0, 0, 3, True)]
    finally:
        eng.close()
