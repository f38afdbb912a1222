"""What a review step's answer decided, kept on its task row when the task is completed.

A review answer is the object in the submitted data that has a `decision` (as the notifications
and the history read it: `notifications.decision_of`); a decision other than an approval keeps
its reason code. The returns report groups task rows by these two columns (index
`ix_tasks_decisions`) instead of reading the audit log's payloads; migration 0020 filled the rows
completed before. A task closed by a withdrawal or a rewind decided nothing: both stay empty.

A decided row also says whether it was the project's first decision at that step (the first-pass
rate counts those): true when no other row of the instance at the step holds a decision yet. A
round of committee votes shares a step, so only the round's earliest vote in the project's life
is first - as the report counted before: a project passed a step first time when its earliest
decision there approved. The flag is worked out by the task's own UPDATE (a subquery), so
completing a task reads nothing more; migration 0022 filled older rows by (closed_at, id).
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, exists, literal
from sqlalchemy.orm import aliased

from ..db.schema import Task
from .notifications import decision_of

APPROVE = "approve"
DECISION_LENGTH, REASON_LENGTH = 64, 200       # the columns' sizes (engine/db/schema.py)


def decided(values: dict | None) -> tuple[str | None, str | None]:
    """(decision, reason code) of a completed task's answer; (None, None) for no review answer."""
    answer = decision_of(values)
    if answer is None:
        return None, None
    decision, reason = answer["decision"][:DECISION_LENGTH], answer.get("reason_code")
    if decision == APPROVE or not isinstance(reason, str):
        return decision, None
    return decision, reason[:REASON_LENGTH]


_OTHER = aliased(Task)
# SQL for a decided row's first_decision, evaluated in the UPDATE that stores its decision (the
# subquery correlates with the row being updated): no other row of its instance at its step holds
# a decision. Built once: an expression built per completion cost more than the UPDATE it rides in.
FIRST_AT_STEP: ColumnElement[bool] = ~exists(literal(1)).where(
    _OTHER.instance_id == Task.instance_id, _OTHER.bpmn_id == Task.bpmn_id, _OTHER.decision.isnot(None),
    _OTHER.id != Task.id)
