"""What a completion's lock reads beside the task (engine/db/locks.py `lock_task_and_open_rows`):
the project's owner and the steps it has completed, which the completion would otherwise read
in statements of their own. Both must be what those statements read."""
from __future__ import annotations

from sqlalchemy import select

from engine import demo
from engine.db.locks import lock_task_and_open_rows
from engine.db.schema import Task
from engine.directory import Directory


def _open_task(eng, iid: str, bpmn_id: str) -> str:
    return next(t.id for t in eng.instance(iid).tasks if t.bpmn_id == bpmn_id)


def test_the_lock_reads_the_owner_with_every_group_as_the_directory_reads_them(kam_eng):
    kam_eng.groups.create("key_accounts, north", "zed")          # a comma in a group's name
    kam_eng.groups.add_member("key_accounts, north", "amy", "zed")
    iid = demo.to_manager_review(kam_eng, "amy", "Lock reads the owner")
    with kam_eng.ctx.uow(read_only=True) as uow:
        locked = lock_task_and_open_rows(uow.session, _open_task(kam_eng, iid, "manager_review"))
        from_lock = Directory(uow.session)
        from_lock.keep("amy", locked.owner, locked.owner_groups)
        assert from_lock.find("amy") == Directory(uow.session).find("amy")
        assert from_lock.find("amy").groups == {"rep", "key_accounts, north"}


def test_the_lock_reads_the_steps_the_project_has_completed_through_a_return(kam_eng):
    iid = demo.to_manager_review(kam_eng, "amy", "Lock reads the steps")
    demo.complete_open(kam_eng, iid, "manager_review", decision="return")
    with kam_eng.ctx.uow(read_only=True) as uow:
        locked = lock_task_and_open_rows(uow.session, _open_task(kam_eng, iid, "proposal"))
        completed = set(uow.session.scalars(select(Task.bpmn_id).where(Task.instance_id == iid,
                                                                       Task.state == "completed")))
    assert "manager_review" in completed and "proposal" in completed
    assert locked.completed_steps == completed
    assert [r.bpmn_id for r in locked.open_rows] == ["proposal"]
