"""Report (d): returns and first-pass rate per review step, and the reasons given.

A review step is one whose answer carries a `decision` (manager review, committee vote, the
chair's casting vote): the engine keeps each completed task's decision and reason code on its
row, and whether it was the project's first decision at that step (`engine.usecases.decisions`,
migrations 0020 and 0022 for older rows), and the database counts them as they are given, per
step, owner, reason and UTC month (migration 0029); this report reads the groups from those counts
(`decision_counts`), never every decided row nor the audit log. Return rate: returns / decisions at
the step. First-pass rate: of the projects whose first decision at the step was given (in the
period), the share whose first decision was an approval; per rep (the project's owner), the same
over every review step of their projects. Per department (the owner's), the decisions, returns,
declines and their reasons over every review step. The committee's votes by rule and outcome come
from `votes`. The period selects decisions by when they were given (the task's closing)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..db.schema import Task
from ..usecases.decisions import APPROVE
from . import scope
from .decision_counts import counted
from .filters import Filters
from .votes import VoteRow, committee_votes

NO_REASON = ""


@dataclass
class ReviewStep:
    step: str
    name: str
    decisions: int = 0
    returns: int = 0
    declines: int = 0
    projects: int = 0
    first_pass: int = 0
    reasons: dict[str, int] = field(default_factory=dict)     # reason code -> returns and declines

    @property
    def return_rate(self) -> float | None:
        return self.returns / self.decisions if self.decisions else None

    @property
    def first_pass_rate(self) -> float | None:
        return self.first_pass / self.projects if self.projects else None


@dataclass
class RepFirstPass:
    rep: str
    reviewed: int = 0            # (project, review step) pairs decided
    first_pass: int = 0          # of them, approved at the first decision

    @property
    def rate(self) -> float | None:
        return self.first_pass / self.reviewed if self.reviewed else None


@dataclass
class DepartmentReturns:
    department: str              # the project owner's; "" when the owner has none
    decisions: int = 0
    returns: int = 0
    declines: int = 0
    reasons: dict[str, int] = field(default_factory=dict)     # reason code -> returns and declines

    @property
    def return_rate(self) -> float | None:
        return self.returns / self.decisions if self.decisions else None


@dataclass(frozen=True)
class Returns:
    steps: list[ReviewStep]      # highest return rate first
    reps: list[RepFirstPass]     # by rep
    departments: list[DepartmentReturns] = field(default_factory=list)     # by department
    votes: list[VoteRow] = field(default_factory=list)                     # the committee's, by rule and outcome


def _step_name(session, step: str) -> str:
    """The name the step's latest decided task shows (one index seek: not an aggregate per row)."""
    return session.scalar(select(Task.name).where(Task.bpmn_id == step, Task.state == "completed",
                                                  Task.decision.isnot(None))
                          .order_by(Task.closed_at.desc()).limit(1)) or step


def _count(unit, decision: str, reason: str | None, n: int) -> None:
    unit.decisions += n
    unit.returns += n if decision == "return" else 0
    unit.declines += n if decision == "decline" else 0
    if decision != APPROVE:
        code = reason or NO_REASON
        unit.reasons[code] = unit.reasons.get(code, 0) + n


def returns(ctx, uow, username: str, filters: Filters) -> Returns:
    person = scope.viewer(uow, username)
    steps: dict[str, ReviewStep] = {}
    departments: dict[str, DepartmentReturns] = {}
    reps: dict[str, RepFirstPass] = {}
    for step_id, owner, department, decision, reason, first, n in counted(ctx, uow, person, filters):
        if step_id not in steps:
            steps[step_id] = ReviewStep(step_id, _step_name(uow.session, step_id))
        step = steps[step_id]
        _count(step, decision, reason, n)
        _count(departments.setdefault(department or "", DepartmentReturns(department or "")), decision, reason, n)
        if first:
            passed = n if decision == APPROVE else 0
            rep = reps.setdefault(owner, RepFirstPass(owner))
            step.projects, step.first_pass = step.projects + n, step.first_pass + passed
            rep.reviewed, rep.first_pass = rep.reviewed + n, rep.first_pass + passed
    return Returns(sorted(steps.values(), key=lambda r: -(r.return_rate or 0)),
                   sorted(reps.values(), key=lambda r: r.rep), sorted(departments.values(), key=lambda d: d.department),
                   committee_votes(ctx, uow, person, filters))
