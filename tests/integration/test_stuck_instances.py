"""A step that would leave an instance unable to move on fails loudly, as an incident.

The instance keeps its stored state and the step's task stays open; an admin sees why.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

import engine.spiff.definitions as definitions
from engine import ProcessError
from engine.db.schema import Instance
from engine.demo import answer, complete_open, to_committee, to_manager_review
from engine.usecases.runtimes import CacheDiverged

from ..conftest import DATA, ROOT


def stored(eng, iid):
    with eng.ctx.uow(read_only=True) as uow:
        row = uow.session.scalar(select(Instance).where(Instance.id == iid))
        return row.workflow, row.version


@pytest.mark.parametrize("engine_mode", ["cached", "fresh"], indirect=True)
def test_a_model_that_strands_its_instance_produces_an_incident_not_a_stuck_instance(eng):
    eng.deploy(DATA / "dead_end_join")
    iid = eng.start("dead_end_join", "amy", {"project_name": "Dead end"})
    task = eng.tasks("amy")[0]
    before = stored(eng, iid)
    with pytest.raises(ProcessError) as caught:
        eng.complete(task.id, "amy", {"way": "left"})
    assert caught.value.element == "both" and "no open task" in str(caught.value)
    view = eng.instance(iid)
    assert view.status == "error" and [t.id for t in view.tasks] == [task.id]
    assert [i["element"] for i in view.incidents] == ["both"]
    assert stored(eng, iid)[0] == before[0]


@pytest.mark.parametrize("engine_mode", ["fresh"], indirect=True)
def test_votes_that_are_never_merged_become_an_incident_with_the_last_vote_still_open(kam_eng, monkeypatch):
    """What the committee vote did before specs were wired at parse time (issue 6)."""
    monkeypatch.setattr(definitions, "complete_wiring", lambda spec: None)
    iid = to_committee(kam_eng, "amy", "Unmerged")
    votes = kam_eng.instance(iid).tasks
    for vote in votes[:2]:
        kam_eng.complete(vote.id, vote.assignee, answer("committee_vote"))
    before = stored(kam_eng, iid)
    with pytest.raises(ProcessError) as caught:
        kam_eng.complete(votes[2].id, votes[2].assignee, answer("committee_vote"))
    assert caught.value.element == "committee_vote"
    assert "committee_reminder still waits, but committee_vote has no open work left" in str(caught.value)
    view = kam_eng.instance(iid)
    assert view.status == "error" and [t.id for t in view.tasks] == [votes[2].id]
    assert view.incidents[0]["element"] == "committee_vote" and stored(kam_eng, iid)[0] == before[0]
    kam_eng.terminate(iid, "zed", "test over")      # leave nothing stuck behind


def test_the_runtime_cache_is_caught_when_it_differs_from_a_fresh_load(eng, monkeypatch):
    """A spec wired only in this process's memory is exactly what the cache check must see."""
    monkeypatch.setattr(definitions, "complete_wiring", lambda spec: None)
    eng.deploy(ROOT / "workflows")
    iid = to_manager_review(eng, "amy", "Cached")
    with pytest.raises(CacheDiverged) as caught:            # the approval opens the vote
        complete_open(eng, iid, "manager_review")
    assert "committee_vote [child]" in str(caught.value) and "merge_child" in str(caught.value)
