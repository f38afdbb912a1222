"""Report (d), continued: the committee's votes by voting rule (majority, two-thirds, unanimous)
and outcome, from the committee rounds the engine records (`engine.usecases.committee`) - one
GROUP BY over indexed rows, never workflow state. A round is one vote of the whole committee on a
project: its rule, decided before it opened, and its outcome: the tally's (approve, return,
decline, tie - a tie goes to the chair), `rewound` (an admin took it back), `cancelled` (the
project was withdrawn or terminated) or `open` (votes still missing). The period selects rounds
by when they opened; the rows are those of the projects the viewer may see. For a viewer who sees
every project the rounds are counted from `vote_tallies` (migration 0030, kept by triggers) for the
period's whole months, and from the rounds themselves only for the part-months at its ends
(`kept_counts`); a rep's or a manager's are grouped from her projects' rounds."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..db.committee import CommitteeRound
from ..db.schema import Instance
from ..db.tallies import VoteTally
from . import scope
from .kept_counts import counted_projects, sees_every_project, split, tally_where
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


def _rounds(uow, where: list):
    r = CommitteeRound
    return uow.session.execute(
        select(r.voting_rule, r.outcome, func.count(), func.sum(r.members), func.sum(r.approvals),
               func.sum(r.returns), func.sum(r.declines))
        .join(Instance, Instance.id == r.instance_id).where(*where).group_by(r.voting_rule, r.outcome))


def _counted(ctx, uow, person, filters: Filters) -> list[tuple]:
    """(rule, outcome, rounds, members, approvals, returns, declines) of the rounds in view."""
    t, r = VoteTally, CommitteeRound
    period = split(filters.starts, filters.ends)
    if not sees_every_project(person):
        parts = [_rounds(uow, [*scope.projects_where(ctx, uow, person, filters), *scope.between(r.opened_at, filters)])]
    else:
        parts = [uow.session.execute(
            select(t.voting_rule, t.outcome, func.sum(t.rounds), func.sum(t.members), func.sum(t.approvals),
                   func.sum(t.returns), func.sum(t.declines))
            .where(*tally_where(ctx, uow, t, filters, period)).group_by(t.voting_rule, t.outcome))] \
            if period.months else []
        parts += [_rounds(uow, [r.opened_at >= starts, r.opened_at < ends, *counted_projects(ctx, uow, filters)])
                  for starts, ends in period.edges]
    groups: dict[tuple[str, str], list[int]] = {}
    for rows in parts:
        for rule, outcome, *sums in rows:
            group = groups.setdefault((rule, outcome or OPEN), [0] * 5)
            group[:] = [a + int(b or 0) for a, b in zip(group, sums)]
    return [(rule, outcome, *sums) for (rule, outcome), sums in groups.items() if sums[0] > 0]


def committee_votes(ctx, uow, person, filters: Filters) -> list[VoteRow]:
    rows = _counted(ctx, uow, person, filters)
    found = [VoteRow(rule, outcome or OPEN, count, *(int(n or 0) for n in sums))
             for rule, outcome, count, *sums in rows]
    return sorted(found, key=lambda v: (_order(RULE_ORDER, v.rule), _order(OUTCOME_ORDER, v.outcome)))
