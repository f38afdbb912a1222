"""Reminders and escalations: fired by the stored due time, never by sleeping."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine.db.schema import Notification

pytestmark = pytest.mark.across_processes


def notifications(eng, kind=None):
    with eng.ctx.uow(read_only=True) as uow:
        q = select(Notification.username, Notification.kind)
        if kind:
            q = q.where(Notification.kind == kind)
        return sorted(uow.session.execute(q).all())


def test_a_review_task_is_due_when_its_reminder_fires(loop_eng):
    loop_eng.start("review_loop", "amy", {"project_name": "Due"})
    loop_eng.complete(loop_eng.tasks("amy")[0].id, "amy", {"draft": {"text": "x"}})
    review = loop_eng.tasks("bob")[0]
    assert review.due is not None and review.due.tzinfo is not None
    assert timedelta(days=2, hours=23) < review.due - datetime.now(timezone.utc) <= timedelta(days=3)


@pytest.mark.core_path
def test_the_reminder_fires_once_when_due_and_notifies_the_reviewer(loop_eng):
    iid = loop_eng.start("review_loop", "amy", {"project_name": "Remind"})
    loop_eng.complete(loop_eng.tasks("amy")[0].id, "amy", {"draft": {"text": "x"}})
    now = datetime.now(timezone.utc)
    assert loop_eng.fire_timers(now + timedelta(days=2)) == 0
    assert loop_eng.fire_timers(now + timedelta(days=3, minutes=1)) == 1
    assert loop_eng.fire_timers(now + timedelta(days=30)) == 0
    assert ("bob", "reminder") in notifications(loop_eng, "reminder")
    view = loop_eng.instance(iid)
    assert [e.kind for e in view.history].count("reminder") == 1
    assert [t.bpmn_id for t in view.tasks] == ["review"]          # non-interrupting: still open
    loop_eng.complete(view.tasks[0].id, "bob", {"review": {"decision": "approve"}})
    assert loop_eng.instance(iid).outcome == "established"


def test_fire_timers_requires_an_aware_time(loop_eng):
    with pytest.raises(ValueError):
        loop_eng.fire_timers(datetime.now())


def test_a_new_task_notifies_its_assignee_unless_their_own_action_created_it(loop_eng):
    loop_eng.start("review_loop", "amy", {"project_name": "Mail"})
    loop_eng.complete(loop_eng.tasks("amy")[0].id, "amy", {"draft": {"text": "x"}})
    assert notifications(loop_eng, "task_assigned") == [("bob", "task_assigned")]


def test_a_fired_reminder_does_not_merge_an_earlier_rounds_answer_back(loop_eng):
    iid = loop_eng.start("review_loop", "amy", {"project_name": "Stale"})
    loop_eng.complete(loop_eng.tasks("amy")[0].id, "amy", {"draft": {"text": "x"}})
    loop_eng.complete(loop_eng.tasks("bob")[0].id, "bob", {"review": {"decision": "return", "comment": "old"}})
    loop_eng.complete(loop_eng.tasks("amy")[0].id, "amy", {"draft": {"text": "y"}})
    assert loop_eng.fire_timers(datetime.now(timezone.utc) + timedelta(days=4)) == 1
    loop_eng.complete(loop_eng.tasks("bob")[0].id, "bob", {"review": {"decision": "approve"}})
    assert loop_eng.instance(iid).data["review"] == {"decision": "approve"}
