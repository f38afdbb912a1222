"""My tasks: list them, read one with its form, complete, claim and hand back."""
from __future__ import annotations

from engine import ValidationFailed

from ..common.current import engine, me
from . import bp, inputs
from .idempotency import idempotent
from .represent import respond, task_detail, task_summary

PAGE_MAX = 100


@bp.get("/tasks")
def list_tasks():
    """A page of my tasks: from `cursor` (the `next_cursor` or `previous_cursor` of the page
    before), or from `offset` (kept for older clients; a deep offset is slow)."""
    step, text = inputs.text_param("step", 200), inputs.text_param("q", 200)
    limit = inputs.int_param("limit", 1, PAGE_MAX, 20)
    offset = inputs.int_param("offset", 0, 1_000_000, 0)
    cursor = inputs.text_param("cursor", 600)
    if cursor and offset:
        raise inputs.bad_parameter("offset", "cannot be given with a cursor")
    try:
        found = engine().lists.tasks(me(), step, text, cursor, limit, offset)
    except ValidationFailed as exc:                # a cursor that is not one: a query parameter's problem
        if [e.path for e in exc.errors] != ["$.cursor"]:
            raise
        raise inputs.bad_parameter("cursor", exc.errors[0].message) from None
    return respond({"items": [task_summary(t) for t in found.items], "limit": limit, "offset": offset,
                    "next_offset": offset + limit if found.next and not cursor else None,
                    "next_cursor": found.next, "previous_cursor": found.previous})


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
