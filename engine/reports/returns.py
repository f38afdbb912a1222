"""Report (d): returns and first-pass rate per review step, and the reasons given.

A review step is one whose answer carries a `decision` (manager review, committee vote, the
chair's casting vote): the engine keeps each completed task's decision and reason code on its
row (`engine.usecases.decisions`, migration 0020 for older rows), and this report groups those
rows in the database (index `ix_tasks_decisions`), never reading the audit log. Return rate:
returns / decisions at the step. First-pass rate: of the projects decided at the step, the share
whose first decision there was an approval; per rep (the project's owner), the same over every
review step of their projects. Per department (the owner's), the decisions, returns, declines and
their reasons over every review step. The committee's votes by rule and outcome come from
`votes`. The period selects decisions by when they were given (the task's closing)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from ..db.schema import Instance, Task, User
from ..usecases.decisions import APPROVE
from . import scope
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


def _by_step_and_department(session, where: list):
    """Decisions counted per step, owner's department, decision and reason, the earliest group first
    (so steps and reasons come in the order they were first decided)."""
    first = func.min(Task.closed_at)
    return session.execute(
        select(Task.bpmn_id, func.min(Task.name), User.department, Task.decision, Task.reason_code, func.count(), first)
        .join(Instance, Instance.id == Task.instance_id).outerjoin(User, User.username == Instance.owner)
        .where(*where).group_by(Task.bpmn_id, User.department, Task.decision, Task.reason_code)
        .order_by(first, Task.bpmn_id, User.department, Task.decision, Task.reason_code)).all()


def _first_pass(session, where: list):
    """Per step and rep: the projects decided there, and those whose first decision was an approval
    (their earliest approval is their earliest decision)."""
    first_approval = func.min(case((Task.decision == APPROVE, Task.closed_at)))
    pairs = (select(Task.bpmn_id.label("step"), Instance.owner.label("rep"),
                    case((func.min(Task.closed_at) == first_approval, 1), else_=0).label("approved"))
             .join(Instance, Instance.id == Task.instance_id).where(*where)
             .group_by(Task.instance_id, Task.bpmn_id, Instance.owner).subquery())
    return session.execute(select(pairs.c.step, pairs.c.rep, func.count(), func.sum(pairs.c.approved))
                           .group_by(pairs.c.step, pairs.c.rep)).all()


def _count(unit, decision: str, reason: str | None, n: int) -> None:
    unit.decisions += n
    unit.returns += n if decision == "return" else 0
    unit.declines += n if decision == "decline" else 0
    if decision != APPROVE:
        code = reason or NO_REASON
        unit.reasons[code] = unit.reasons.get(code, 0) + n


def returns(ctx, uow, username: str, filters: Filters) -> Returns:
    s = uow.session
    person = scope.viewer(uow, username)
    where = [Task.decision.isnot(None), *scope.projects_where(ctx, uow, person, filters),
             *scope.between(Task.closed_at, filters)]
    steps: dict[str, ReviewStep] = {}
    departments: dict[str, DepartmentReturns] = {}
    for step_id, name, department, decision, reason, n, _first in _by_step_and_department(s, where):
        _count(steps.setdefault(step_id, ReviewStep(step_id, name or step_id)), decision, reason, n)
        _count(departments.setdefault(department or "", DepartmentReturns(department or "")), decision, reason, n)
    reps: dict[str, RepFirstPass] = {}
    for step_id, owner, projects, approved in _first_pass(s, where):
        step = steps.setdefault(step_id, ReviewStep(step_id, step_id))     # decided between the two reads
        rep = reps.setdefault(owner, RepFirstPass(owner))
        step.projects, step.first_pass = step.projects + projects, step.first_pass + int(approved or 0)
        rep.reviewed, rep.first_pass = rep.reviewed + projects, rep.first_pass + int(approved or 0)
    return Returns(sorted(steps.values(), key=lambda r: -(r.return_rate or 0)),
                   sorted(reps.values(), key=lambda r: r.rep), sorted(departments.values(), key=lambda d: d.department),
                   committee_votes(ctx, uow, person, filters))
