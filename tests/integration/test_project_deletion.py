"""Deleting a project - its `instances` row, with plain SQL; its task rows and committee rounds go by
ON DELETE CASCADE - takes its share out of every summary the database keeps (migration 0034): the
cycle-time summaries (0027, 0028) and the decision and vote tallies (0029, 0030) each equal a recount
of the rows that remain, on both databases, whether one project is deleted or several at once."""
from __future__ import annotations

import pytest
from sqlalchemy import bindparam, func, select, text, update

from engine.db.committee import CommitteeRound
from engine.db.schema import Instance, Task
from engine.db.workspace import Account
from engine.demo import complete_open, to_committee, to_manager_review
from . import test_cycle_summaries as cycle
from . import test_decision_tallies as tallies

DELETE_PROJECTS = text("DELETE FROM instances WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))


def summaries(eng) -> tuple[dict, tuple]:
    return cycle.kept(eng), tallies.kept(eng)


def recounted(eng) -> tuple[dict, tuple]:
    return cycle.recounted(eng), tallies.recounted(eng)


def delete_projects(eng, *ids: str) -> None:
    with eng.ctx.uow() as uow:
        assert uow.session.execute(DELETE_PROJECTS, {"ids": list(ids)}).rowcount == len(ids)


def rows_left(eng, ids: list[str]) -> int:
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        return sum(s.scalar(select(func.count()).select_from(table).where(column.in_(ids)))
                   for table, column in ((Instance, Instance.id), (Task, Task.instance_id),
                                         (CommitteeRound, CommitteeRound.instance_id)))


@pytest.fixture
def projects(kam_eng):
    """Projects that share their steps' totals and duration buckets: one returned by its manager,
    then voted on by the committee, on an account; one only voted on; one withdrawn (cancelled
    activations); one rewound; one of another rep returned with a reason."""
    eng = kam_eng
    account = eng.accounts.create("amy", {"name": "北區甲 North A", "account_type": "global"})
    doomed = to_manager_review(eng, "amy", "Returned, then voted on")
    complete_open(eng, doomed, "manager_review", "return")
    complete_open(eng, doomed, "proposal")
    complete_open(eng, doomed, "manager_review")
    complete_open(eng, doomed, "committee_vote")
    voted = to_committee(eng, "amy", "Voted")
    complete_open(eng, voted, "committee_vote")
    withdrawn = to_manager_review(eng, "amy", "Withdrawn")
    eng.withdraw(withdrawn, "amy", "customer postponed")
    rewound = to_committee(eng, "amy", "Rewound")
    eng.admin.rewind(rewound, "zed", "proposal")
    other = to_manager_review(eng, "ann", "Another rep's")
    complete_open(eng, other, "manager_review", "return", manager_review={
        "decision": "return", "return_to": "proposal", "reason_code": "unclear_value", "comment": "unclear"})
    with eng.ctx.uow() as uow:
        uow.session.execute(update(Instance).where(Instance.id.in_([doomed, voted])).values(account_id=account))
    return {"doomed": doomed, "voted": voted, "withdrawn": withdrawn, "rewound": rewound, "other": other}


def test_deleting_a_project_takes_its_share_out_of_every_report_summary(projects, kam_eng):
    before = summaries(kam_eng)
    assert before == recounted(kam_eng)
    assert before[0]["durations"] and any(v[4] for v in before[0]["totals"].values()) and all(before[1])

    delete_projects(kam_eng, projects["doomed"])
    assert rows_left(kam_eng, [projects["doomed"]]) == 0
    after_one = summaries(kam_eng)
    assert after_one == recounted(kam_eng) and after_one != before
    assert not any(k[0] == projects["doomed"] for k in after_one[0]["steps"])

    delete_projects(kam_eng, projects["withdrawn"], projects["rewound"])        # two in one statement
    assert rows_left(kam_eng, [projects["withdrawn"], projects["rewound"]]) == 0
    left = summaries(kam_eng)
    assert left == recounted(kam_eng) and set(left[0]["projects"]) == {projects["voted"], projects["other"]}
    assert all(left[1])                                 # the remaining decisions and votes still counted


def test_the_summaries_stay_right_as_the_remaining_projects_go_on_after_a_deletion(projects, kam_eng):
    delete_projects(kam_eng, projects["doomed"])
    complete_open(kam_eng, projects["rewound"], "proposal")
    complete_open(kam_eng, projects["other"], "proposal")
    complete_open(kam_eng, projects["other"], "manager_review")
    assert summaries(kam_eng) == recounted(kam_eng)
