"""What a review step's answer decided, kept on its task row when the task is completed.

A review answer is the object in the submitted data that has a `decision` (as the notifications
and the history read it: `notifications.decision_of`); a decision other than an approval keeps
its reason code. The returns report groups task rows by these two columns (index
`ix_tasks_decisions`) instead of reading the audit log's payloads; migration 0020 filled the rows
completed before. A task closed by a withdrawal or a rewind decided nothing: both stay empty.
"""
from __future__ import annotations

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
