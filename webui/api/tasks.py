"""My tasks: list them, read one with its form, complete, claim and hand back."""
from __future__ import annotations

from ..common.current import engine, me
from . import bp, inputs
from .idempotency import idempotent
from .represent import respond, task_detail, task_summary

PAGE_MAX = 100


@bp.get("/tasks")
def list_tasks():
    step, text = inputs.text_param("step", 200), inputs.text_param("q", 200)
    limit = inputs.int_param("limit", 1, PAGE_MAX, 20)
    offset = inputs.int_param("offset", 0, 1_000_000, 0)
    found = engine().tasks(me(), bpmn_id=step, search=text, limit=limit + 1, offset=offset)
    return respond({"items": [task_summary(t) for t in found[:limit]], "limit": limit, "offset": offset,
                    "next_offset": offset + limit if len(found) > limit else None})


@bp.get("/tasks/<uuid:task_id>")
def get_task(task_id):
    return respond(task_detail(engine().task(str(task_id), me())))


@bp.post("/tasks/<uuid:task_id>/complete")
@idempotent
def complete_task(task_id):
    following = engine().complete(str(task_id), me(), inputs.data_of_body())
    return respond({"task_id": str(task_id), "next_tasks": [task_summary(t) for t in following]})


@bp.post("/tasks/<uuid:task_id>/claim")
@idempotent
def claim_task(task_id):
    inputs.data_of_body()
    return respond(task_summary(engine().claim(str(task_id), me())))


@bp.post("/tasks/<uuid:task_id>/unclaim")
@idempotent
def unclaim_task(task_id):
    inputs.data_of_body()
    return respond(task_summary(engine().unclaim(str(task_id), me())))
