"""What the key-account process decides about a project's money and its committee, kept in
columns beside the workflow so that reports read indexed rows, never workflow state.

The process's data names them (workflows/key_account_development.bpmn, docs/process.md):
- `project.budget_amount` / `project.budget_currency`: the budget the rep answers on the project
  form. When it is answered, the instance's `deal_size` becomes it in the base currency at that
  day's rate (None when no rate converts it).
- `deal_size` / `deal_currency` and `voting_rule`: set before the committee votes (the DMN decides
  the rule on the deal size). When the votes open - user task activations offered one per person
  from a data variable (the task's `assignee` property) while the data holds a voting rule - a
  committee round is recorded with its rule, and the instance's `deal_size` becomes the voting
  rule's: the figure the committee saw.
- `committee_result`: the tally after the last vote. When the round's step closes on that vote,
  the round keeps its outcome (approve, return, decline, tie) and the count of each decision; a
  round an admin's rewind took back closes as `rewound`, a withdrawn or terminated project's open
  round as `cancelled`.
Ordinary completions cost no statement: the open round is looked up only when a step just ended
after a voting rule was decided in this project's data, or on an admin's rewind.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..db import late_inserts
from ..db.committee import CommitteeRound
from ..db.schema import Instance, Task
from ..spiff import HumanTask
from ..workspace.currency import base_currency, in_base, rates

RULES = ("majority", "two_thirds", "unanimous")
OUTCOMES = ("approve", "return", "decline", "tie")


def _number(value) -> Decimal | None:
    return Decimal(str(value)).quantize(Decimal("0.01")) if isinstance(value, (int, float)) and \
        not isinstance(value, bool) else None


def budget_answered(session: Session, inst: Instance, submitted: dict | None, now: datetime) -> None:
    """The project form's budget, in the base currency at today's rate, as the deal size so far."""
    project = (submitted or {}).get("project")
    if not isinstance(project, dict) or _number(project.get("budget_amount")) is None:
        return
    base = base_currency()
    amount = in_base(project["budget_amount"], project.get("budget_currency"), base, rates(session, base), now.date())
    inst.deal_size, inst.deal_currency = (amount, base) if amount is not None else (None, None)


def _opened(session: Session, inst: Instance, humans: list[HumanTask], new_rows: list[Task], now: datetime) -> bool:
    new_ids = {row.spiff_task_id for row in new_rows}
    votes = [h for h in humans if h.spiff_id in new_ids and h.assignee and h.data.get("voting_rule") in RULES]
    for step in dict.fromkeys(h.bpmn_id for h in votes):
        data = next(h.data for h in votes if h.bpmn_id == step)
        size = _number(data.get("deal_size"))
        currency = data.get("deal_currency") if isinstance(data.get("deal_currency"), str) else None
        late_inserts.add(session, CommitteeRound.__table__, [   # read by later steps only: sent at the end
            {"instance_id": inst.id, "step": step, "voting_rule": data["voting_rule"], "deal_size": size,
             "deal_currency": currency if size is not None else None,
             "members": sum(h.bpmn_id == step for h in votes), "opened_at": now}])
        if size is not None and currency:
            inst.deal_size, inst.deal_currency = size, currency[:3]
    return bool(votes)


def record(session: Session, inst: Instance, humans: list[HumanTask], new_rows: list[Task], ended: list[Task],
           data: dict, done: Task | None, closed_as: str, now: datetime) -> None:
    """After a save: open a round where the votes just opened, close the one whose step ended.
    `ended`: the rows this save closed (`done` among them); `data`: the workflow's freshest data."""
    if _opened(session, inst, humans, new_rows, now):
        return
    if closed_as != "rewound" and data.get("voting_rule") not in RULES:    # a rewind may go back before the rule
        return
    live = {h.bpmn_id for h in humans}
    steps = {row.bpmn_id for row in ended} - live
    if not steps:
        return
    round_ = session.scalars(select(CommitteeRound).where(
        CommitteeRound.instance_id == inst.id, CommitteeRound.closed_at.is_(None),
        CommitteeRound.step.in_(sorted(steps)))).first()
    if round_ is None:
        return
    round_.closed_at = now
    result = data.get("committee_result")
    if done is not None and done.bpmn_id == round_.step and isinstance(result, dict) and result.get("outcome") in OUTCOMES:
        round_.outcome = result["outcome"]
        round_.approvals, round_.returns, round_.declines = (
            int(result.get(k) or 0) for k in ("approvals", "returns", "declines"))
    else:
        round_.outcome = closed_as                 # rewound (or cancelled: no tally came of it)


def cancel_open(session: Session, instance_id: str, now: datetime) -> None:
    """The project ended by hand (withdrawn, terminated) while its committee was voting."""
    session.execute(update(CommitteeRound).where(CommitteeRound.instance_id == instance_id,
                                                 CommitteeRound.closed_at.is_(None))
                    .values(closed_at=now, outcome="cancelled"))
