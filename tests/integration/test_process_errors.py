"""A runtime failure in a gateway leaves the instance exactly as it was, for an admin to fix."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import NotAllowed, ProcessError
from engine.db.schema import Instance

from ..conftest import DATA

pytestmark = pytest.mark.across_processes


def stored(eng, iid):
    with eng.ctx.uow(read_only=True) as uow:
        row = uow.session.scalar(select(Instance).where(Instance.id == iid))
        return row.workflow, row.version, row.status


def test_a_failing_gateway_raises_process_error_naming_the_element_and_keeps_the_state(eng):
    eng.deploy(DATA / "broken_gateway")
    iid = eng.start("broken_gateway", "amy", {"project_name": "Broken"})
    task = eng.tasks("amy")[0]
    workflow_before, _, _ = stored(eng, iid)
    with pytest.raises(ProcessError) as caught:
        eng.complete(task.id, "amy", {"comment": "no level given"})
    assert caught.value.element == "check" and "level" in str(caught.value)
    assert caught.value.incident_id is not None
    workflow_after, _, status = stored(eng, iid)
    assert workflow_after == workflow_before
    view = eng.instance(iid)
    assert status == "error" and view.incidents[0]["element"] == "check"
    assert [t.id for t in view.tasks] == [task.id]


def test_an_admin_fixes_the_data_and_retries_the_failed_step(eng):
    eng.deploy(DATA / "broken_gateway")
    iid = eng.start("broken_gateway", "amy", {"project_name": "Broken"})
    task = eng.tasks("amy")[0]
    with pytest.raises(ProcessError) as caught:
        eng.complete(task.id, "amy", {})
    with pytest.raises(NotAllowed):
        eng.retry(caught.value.incident_id, "amy", {"level": 5})
    eng.retry(caught.value.incident_id, "zed", {"level": 5})
    view = eng.instance(iid)
    assert (view.status, view.incidents) == ("completed", [])
    assert [(e.kind, e.actor) for e in view.history][-3:] == [("completed", "amy"), ("ended", None), ("retried", "zed")]


def test_a_retry_that_fails_again_keeps_one_open_incident(eng):
    eng.deploy(DATA / "broken_gateway")
    iid = eng.start("broken_gateway", "amy", {"project_name": "Broken"})
    with pytest.raises(ProcessError) as caught:
        eng.complete(eng.tasks("amy")[0].id, "amy", {})
    with pytest.raises(ProcessError):
        eng.retry(caught.value.incident_id, "zed", {"other": 1})
    view = eng.instance(iid)
    assert view.status == "error" and len(view.incidents) == 1
