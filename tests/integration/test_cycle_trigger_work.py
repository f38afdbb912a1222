"""A task row written costs SQLite's cycle triggers the same work however many completed rows of
its step other projects hold (migration 0035): the recount finds the project's first completion of
the step among the project's own rows, not by walking the company's completions of that step in
time order (the walk made the 100,000-project seeder, and every completion on a big database,
slow down as the table grew). SQLite only: PostgreSQL plans the recount with statistics and
seeks the project's rows already."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, text

from engine.db.schema import Instance, Task
from engine.demo import to_manager_review
from engine.status import Status

OTHER_PROJECTS = 1500
TOUCH = text("UPDATE tasks SET closed_at = closed_at WHERE id = :id")     # fires cycle_task_updated


def vm_steps(eng, task_id: str) -> int:
    """SQLite virtual-machine instructions (in hundreds) of one UPDATE of the task row, triggers included."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0
    with eng.db.begin() as conn:
        raw = conn.connection.dbapi_connection
        raw.set_progress_handler(count, 100)
        try:
            conn.execute(TOUCH, {"id": task_id})
        finally:
            raw.set_progress_handler(None, 100)
    return steps[0]


def add_older_projects(eng, instance_id: str, task_id: str, count: int) -> None:
    """`count` copies of the project, each with a copy of the completed task row, a day older (ended:
    the copies hold no workflow state to run)."""
    with eng.db.begin() as conn:
        project = dict(conn.execute(select(Instance.__table__).where(Instance.id == instance_id)).mappings().one())
        task = dict(conn.execute(select(Task.__table__).where(Task.id == task_id)).mappings().one())
        projects, tasks = [], []
        for k in range(count):
            pid = str(uuid.uuid4())
            projects.append({**project, "id": pid, "number": project["number"] + 1000 + k, "workflow": "{}",
                             "status": Status.TERMINATED.value})
            tasks.append({**task, "id": str(uuid.uuid4()), "instance_id": pid,
                          "created_at": task["created_at"] - timedelta(days=1, seconds=k),
                          "closed_at": task["closed_at"] - timedelta(days=1, seconds=k)})
        conn.execute(insert(Instance.__table__), projects)
        conn.execute(insert(Task.__table__), tasks)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)       # the plan SQLite makes without statistics
def test_a_task_row_written_costs_the_same_however_many_completions_its_step_has_elsewhere(kam_eng):
    project = to_manager_review(kam_eng, "amy", "Newest of its step")
    with kam_eng.ctx.uow(read_only=True) as uow:
        proposal = uow.session.scalar(select(Task.id).where(Task.instance_id == project, Task.bpmn_id == "proposal",
                                                            Task.state == "completed"))
    alone = vm_steps(kam_eng, proposal)
    add_older_projects(kam_eng, project, proposal, OTHER_PROJECTS)
    among_many = vm_steps(kam_eng, proposal)
    assert among_many <= alone * 1.5, (alone, among_many)
