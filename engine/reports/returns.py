"""Report (d): returns and first-pass rate per review step, and the reasons given.

A review step is one whose answer carries a `decision` (manager review, committee vote, the
chair's casting vote), read from the project history as the notifications read it
(`engine.usecases.notifications.decision_of`). Return rate: returns / decisions at the step.
First-pass rate: of the projects decided at the step, the share whose first decision there was
an approval; per rep (the project's owner), the same over every review step of their projects.
Per department (the owner's), the decisions, returns, declines and their reasons over every
review step. The committee's votes by rule and outcome come from `votes`. The period selects
decisions by when they were given."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import auditlog
from ..db.schema import AuditEvent, Instance, User
from ..usecases.notifications import decision_of
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


def returns(ctx, uow, username: str, filters: Filters) -> Returns:
    s = uow.session
    person = scope.viewer(uow, username)
    events = list(s.execute(select(AuditEvent, Instance.owner, User.department)
                            .join(Instance, Instance.id == AuditEvent.instance_id)
                            .outerjoin(User, User.username == Instance.owner).where(
        AuditEvent.kind == "completed", *scope.projects_where(ctx, uow, person, filters),
        *scope.between(AuditEvent.at, filters)).order_by(AuditEvent.at, AuditEvent.id)))
    data = auditlog.payloads(s, [e.id for e, _owner, _department in events])
    steps: dict[str, ReviewStep] = {}
    reps: dict[str, RepFirstPass] = {}
    departments: dict[str, DepartmentReturns] = {}
    first_seen: set[tuple[str, str]] = set()
    for e, owner, department in events:
        answer = decision_of(data.get(e.id))
        if answer is None or not e.bpmn_id:
            continue
        step = steps.setdefault(e.bpmn_id, ReviewStep(e.bpmn_id, e.task_name or e.bpmn_id))
        decision = answer["decision"]
        step.decisions += 1
        step.returns += decision == "return"
        step.declines += decision == "decline"
        unit = departments.setdefault(department or "", DepartmentReturns(department or ""))
        unit.decisions += 1
        unit.returns += decision == "return"
        unit.declines += decision == "decline"
        if decision != "approve":
            reason = answer.get("reason_code") if isinstance(answer.get("reason_code"), str) else NO_REASON
            step.reasons[reason] = step.reasons.get(reason, 0) + 1
            unit.reasons[reason] = unit.reasons.get(reason, 0) + 1
        if (e.instance_id, e.bpmn_id) not in first_seen:
            first_seen.add((e.instance_id, e.bpmn_id))
            step.projects += 1
            step.first_pass += decision == "approve"
            rep = reps.setdefault(owner, RepFirstPass(owner))
            rep.reviewed += 1
            rep.first_pass += decision == "approve"
    return Returns(sorted(steps.values(), key=lambda r: -(r.return_rate or 0)),
                   sorted(reps.values(), key=lambda r: r.rep), sorted(departments.values(), key=lambda d: d.department),
                   committee_votes(ctx, uow, person, filters))
