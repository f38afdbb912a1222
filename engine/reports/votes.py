"""Report (d), continued: the committee's votes by voting rule (majority, two-thirds, unanimous)
and outcome, from the committee rounds the engine records (`engine.usecases.committee`) - one
GROUP BY over indexed rows, never workflow state. A round is one vote of the whole committee on a
project: its rule, decided before it opened, and its outcome: the tally's (approve, return,
decline, tie - a tie goes to the chair), `rewound` (an admin took it back), `cancelled` (the
project was withdrawn or terminated) or `open` (votes still missing). The period selects rounds
by when they opened; the rows are those of the projects the viewer may see."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..db.committee import CommitteeRound
from ..db.schema import Instance
from . import scope
from .filters import Filters

RULE_ORDER = ("majority", "two_thirds", "unanimous")
OUTCOME_ORDER = ("approve", "tie", "return", "decline", "open", "rewound", "cancelled")
OPEN = "open"


@dataclass(frozen=True)
class VoteRow:
    rule: str
    outcome: str
    rounds: int
    members: int                 # votes asked for, over these rounds
    approvals: int
    returns: int
    declines: int


def _order(values: tuple[str, ...], value: str) -> tuple[int, str]:
    return (values.index(value) if value in values else len(values), value)


def committee_votes(ctx, uow, person, filters: Filters) -> list[VoteRow]:
    r = CommitteeRound
    rows = uow.session.execute(
        select(r.voting_rule, r.outcome, func.count(), func.sum(r.members), func.sum(r.approvals),
               func.sum(r.returns), func.sum(r.declines))
        .join(Instance, Instance.id == r.instance_id)
        .where(*scope.projects_where(ctx, uow, person, filters), *scope.between(r.opened_at, filters))
        .group_by(r.voting_rule, r.outcome))
    found = [VoteRow(rule, outcome or OPEN, count, *(int(n or 0) for n in sums))
             for rule, outcome, count, *sums in rows]
    return sorted(found, key=lambda v: (_order(RULE_ORDER, v.rule), _order(OUTCOME_ORDER, v.outcome)))
