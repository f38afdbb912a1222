"""The counts kept as decisions are given and rounds run (migrations 0029, 0030) equal a count of
the rows themselves after every way rows change - completion, return, committee vote, withdrawal,
rewind, a project's owner, account or account type changed, a project deleted, rows written around
the engine as the big-database seeder writes them, a closing time moved to another month - and the
committee's returns report read from them equals the report grouped from the rows, for every filter
and for periods that start and end mid-month, on both databases."""
from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, insert, select, update

from engine.db.committee import CommitteeRound
from engine.db.connect import MIGRATIONS
from engine.db.schema import Instance, Task
from engine.db.tallies import DecisionTally, VoteTally
from engine.db.workspace import Account
from engine.demo import complete_open, to_committee, to_manager_review
from engine.reports import decision_counts, scope, votes
from engine.reports.filters import parse
from . import returns_reference as reference


def recounted(eng) -> tuple[Counter, Counter]:
    """The decided rows and the rounds counted by the tallies' keys, from the rows themselves."""
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        kind = func.coalesce(Account.account_type, "")
        decided = s.execute(
            select(Instance.process_id, Instance.owner, Task.bpmn_id, Task.decision, Task.reason_code,
                   Task.first_decision, kind, Task.closed_at)
            .join(Instance, Instance.id == Task.instance_id).outerjoin(Account, Account.id == Instance.account_id)
            .where(Task.decision.isnot(None))).all()
        rounds = s.execute(
            select(Instance.process_id, Instance.owner, CommitteeRound.voting_rule, CommitteeRound.outcome, kind,
                   CommitteeRound.opened_at, CommitteeRound.members, CommitteeRound.approvals,
                   CommitteeRound.returns, CommitteeRound.declines)
            .join(Instance, Instance.id == CommitteeRound.instance_id)
            .outerjoin(Account, Account.id == Instance.account_id)).all()
    decisions = Counter((p, o, step, d, r or "", bool(f), k, at.strftime("%Y-%m") if at else "")
                        for p, o, step, d, r, f, k, at in decided)
    tallied_rounds: Counter = Counter()
    for p, o, rule, outcome, k, opened, *sums in rounds:
        key = (p, o, rule, outcome or "", k, opened.strftime("%Y-%m"))
        for name, value in zip(("rounds", "members", "approvals", "returns", "declines"), (1, *sums)):
            tallied_rounds[(*key, name)] += value
    return decisions, +tallied_rounds


def kept(eng) -> tuple[Counter, Counter]:
    with eng.ctx.uow(read_only=True) as uow:
        t, v = DecisionTally, VoteTally
        decisions = Counter({(p, o, step, d, r, bool(f), k, m): n for p, o, step, d, r, f, k, m, n in uow.session.execute(
            select(t.process_id, t.owner, t.step, t.decision, t.reason_code, t.first_decision, t.account_type,
                   t.month, t.n))})
        rounds: Counter = Counter()
        for p, o, rule, outcome, k, m, *sums in uow.session.execute(
                select(v.process_id, v.owner, v.voting_rule, v.outcome, v.account_type, v.month, v.rounds,
                       v.members, v.approvals, v.returns, v.declines)):
            for name, value in zip(("rounds", "members", "approvals", "returns", "declines"), sums):
                rounds[(p, o, rule, outcome, k, m, name)] = value
    assert min(decisions.values(), default=0) >= 0 and min(rounds.values(), default=0) >= 0
    return +decisions, +rounds


def grouped_both_ways(eng, username: str, raw: dict) -> tuple:
    """The viewer's decisions and votes from the kept counts, and grouped from the rows as the report
    did before them (`returns_reference`)."""
    filters = parse(raw)
    with eng.ctx.uow(read_only=True) as uow:
        person = scope.viewer(uow, username)
        return (reference.summed(decision_counts.counted(eng.ctx, uow, person, filters)),
                reference.decisions(eng.ctx, uow, person, filters),
                sorted(votes._counted(eng.ctx, uow, person, filters)), reference.rounds(eng.ctx, uow, person, filters))


def shift(session, column, where, days: int) -> None:
    """Move a time column's values `days` back, row by row (a hand edit; both databases)."""
    table = column.class_.__table__
    for key, at in session.execute(select(table.c.id, column).where(where, column.isnot(None))).all():
        session.execute(update(table).where(table.c.id == key).values({column.key: at - timedelta(days=days)}))


def migration(name: str):
    spec = importlib.util.spec_from_file_location(name, next((MIGRATIONS / "versions").glob(f"{name}_*.py")))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def projects(kam_eng):
    eng = kam_eng
    eng.add_user("sue", groups=["manager"], department="south", reports_to="dan")
    eng.add_user("ray", groups=["rep"], department="south", reports_to="sue")
    eng.accounts.create("amy", {"name": "北區甲 North A", "account_type": "global"})
    eng.accounts.create("ray", {"name": "南區甲 South A", "account_type": "national"})
    returned = to_manager_review(eng, "amy", "Returned once")
    complete_open(eng, returned, "manager_review", "return")
    complete_open(eng, returned, "proposal")
    complete_open(eng, returned, "manager_review")
    voted = to_committee(eng, "amy", "Voted")
    complete_open(eng, voted, "committee_vote")
    withdrawn = to_manager_review(eng, "amy", "Withdrawn")
    eng.withdraw(withdrawn, "amy", "customer postponed")
    rewound = to_committee(eng, "amy", "Rewound")
    eng.admin.rewind(rewound, "zed", "proposal")
    south = to_manager_review(eng, "ray", "South project")
    complete_open(eng, south, "manager_review", "return", manager_review={
        "decision": "return", "return_to": "proposal", "reason_code": "unclear_value", "comment": "unclear"})
    return {"returned": returned, "voted": voted, "withdrawn": withdrawn, "rewound": rewound, "south": south}


def test_the_kept_counts_equal_the_rows_through_returns_votes_withdrawals_and_rewinds(projects, kam_eng):
    decisions, rounds = kept(kam_eng)
    assert (decisions, rounds) == recounted(kam_eng)
    # returned: return and approval; voted: approval and the committee's votes; rewound: its approval; south
    assert sum(decisions.values()) == 2 + 1 + 3 + 1 + 1 and rounds


def test_a_changed_owner_account_type_closing_month_and_a_deleted_project_move_their_counts(projects, kam_eng):
    with kam_eng.ctx.uow() as uow:
        s = uow.session
        north = s.scalar(select(Account.id).where(Account.account_type == "global"))
        s.execute(update(Instance).where(Instance.id == projects["voted"]).values(account_id=north))
        s.execute(update(Instance).where(Instance.id == projects["returned"]).values(owner="ray", account_id=north))
        s.execute(update(Account).where(Account.id == north).values(account_type="regional"))
        shift(s, Task.closed_at, Task.instance_id == projects["south"], 62)
        shift(s, CommitteeRound.opened_at, CommitteeRound.instance_id == projects["voted"], 40)
        s.execute(delete(Instance).where(Instance.id == projects["rewound"]))       # its rows cascade (0034)
    assert kept(kam_eng) == recounted(kam_eng)
    regional = {k for k in kept(kam_eng)[0] if k[6] == "regional"}
    assert {k[1] for k in regional} == {"amy", "ray"}


def test_rows_written_around_the_engine_are_counted_as_the_seeder_writes_them(projects, kam_eng):
    """engine/scale copies task rows and rounds with plain INSERTs (COPY on PostgreSQL)."""
    with kam_eng.ctx.uow() as uow:
        s = uow.session
        rows = [dict(r._mapping) for r in s.execute(select(Task.__table__).where(
            Task.instance_id == projects["voted"], Task.decision.isnot(None)))]
        rounds = [dict(r._mapping) for r in s.execute(select(CommitteeRound.__table__).where(
            CommitteeRound.instance_id == projects["voted"]))]
        s.execute(delete(Task).where(Task.instance_id == projects["voted"], Task.decision.isnot(None)))
        s.execute(delete(CommitteeRound).where(CommitteeRound.instance_id == projects["voted"]))
        s.execute(insert(Task.__table__), rows)
        s.execute(insert(CommitteeRound.__table__), [{k: v for k, v in r.items() if k != "id"} for r in rounds])
    assert kept(kam_eng) == recounted(kam_eng) and sum(kept(kam_eng)[0].values()) == 8


def test_migrations_0029_and_0030_count_the_rows_decided_before_them(projects, kam_eng):
    expected = kept(kam_eng)
    with kam_eng.ctx.uow() as uow:
        conn = uow.session.connection()
        uow.session.execute(delete(DecisionTally))
        uow.session.execute(delete(VoteTally))
        assert migration("0029").fill(conn) > 0 and migration("0030").fill(conn) > 0
    assert kept(kam_eng) == expected == recounted(kam_eng)


def periods() -> list[dict]:
    today = date.today()
    first = today.replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    return [{}, {"since": today.isoformat()}, {"until": today.isoformat()}, {"since": first.isoformat()},
            {"since": last_month.isoformat(), "until": (first - timedelta(days=1)).isoformat()},
            {"since": (last_month + timedelta(days=3)).isoformat(), "until": today.isoformat()},
            {"since": (today - timedelta(days=70)).isoformat(), "until": (today - timedelta(days=50)).isoformat()},
            {"since": (today + timedelta(days=1)).isoformat()}]


@pytest.mark.parametrize("filters", [{}, {"department": "south"}, {"department": "nowhere"}, {"rep": "amy"},
                                     {"account_type": "global"}, {"account_type": "national"}])
def test_the_returns_from_the_counts_equal_the_rows_for_every_viewer_filter_and_period(projects, kam_eng, filters):
    """Viewers: the committee (every project), amy's manager, amy, ray, and amy once she sponsors
    ray's account (his project there is hers to see, but not counted among her people's)."""
    with kam_eng.ctx.uow() as uow:       # spread over months and accounts: part-months and whole ones
        north = uow.session.scalar(select(Account.id).where(Account.account_type == "global"))
        uow.session.execute(update(Instance).where(Instance.id == projects["returned"]).values(account_id=north))
        shift(uow.session, Task.closed_at, Task.instance_id == projects["south"], 60)
        shift(uow.session, CommitteeRound.opened_at, CommitteeRound.instance_id == projects["voted"], 35)
    seen = Counter()
    for sponsor in (None, "amy"):
        with kam_eng.ctx.uow() as uow:
            uow.session.execute(update(Account).where(Account.account_type == "national").values(
                executive_sponsor=sponsor))
        for viewer in ("col", "bob", "amy", "ray"):
            for period in periods():
                counted, from_rows, counted_rounds, rounds = grouped_both_ways(kam_eng, viewer, {**filters, **period})
                assert counted == from_rows and counted_rounds == rounds, (viewer, sponsor, period)
                seen[(viewer, sponsor)] += sum(counted.values())
    if not filters or filters == {"account_type": "national"}:
        assert seen[("amy", "amy")] > seen[("amy", None)] and seen[("ray", None)] > 0


def test_a_rep_still_sees_only_her_rows_while_the_committee_reads_the_counts(projects, kam_eng):
    assert [r.rep for r in kam_eng.reports.returns("ray").reps] == ["ray"]
    assert {d.department for d in kam_eng.reports.returns("ray").departments} == {"south"}
    everyone = kam_eng.reports.returns("col")
    assert [r.rep for r in everyone.reps] == ["amy", "ray"]
    assert {d.department: d.returns for d in everyone.departments} == {"north": 1, "south": 1}
