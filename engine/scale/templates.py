"""Template projects: the real engine drives one project per scenario to its step, in a scratch
database, and the rows it wrote are kept for the cloner.

The scratch organisation has the target's committee (same usernames) and stand-ins for the
owner, the owner's manager(s) and the department, named by tokens no real value contains, so
the cloner can put each copy's own people, names and account in their place. The engine's
clock is ours: every engine call happens at its own hour, so each row tells which action
wrote it; the wall-clock times SpiffWorkflow stamps (timers, task changes) are told apart by
the real time each action began.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from ..db.committee import CommitteeRound
from ..db.schema import AuditEvent, AuditPayload, Instance, Notification, Task, TaskCandidate
from ..demo import INFORMATION, PROCESS, answer

OWNER, MANAGER_A, MANAGER_B, DEPARTMENT = "qzownerqz", "qzmanageraqz", "qzmanagerbqz", "qzdeptqz"
PROJECT, ACCOUNT, BUDGET = "QZPROJECTQZ", "QZACCOUNTQZ", 2345678
FAKE_START = datetime(2001, 1, 1, tzinfo=timezone.utc)


class Clock:
    """The engine's clock: a fixed time that moves an hour per action, noting the real time."""

    def __init__(self):
        self.fake: list[datetime] = []
        self.real: list[float] = []
        self.steps: list[str] = []

    def __call__(self) -> datetime:
        return self.fake[-1] if self.fake else FAKE_START

    def tick(self, step: str) -> None:
        self.fake.append(FAKE_START + timedelta(hours=len(self.fake) + 1))
        self.real.append(datetime.now(timezone.utc).timestamp())
        self.steps.append(step)


@dataclass
class Captured:
    """One template project: its rows by table and the actions that wrote them."""

    scenario: str
    pooled: bool                       # owned in the pool department (two managers)
    instance_id: str
    account_id: str
    rows: dict[str, list[dict]] = field(default_factory=dict)
    fake: list[datetime] = field(default_factory=list)
    real: list[float] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


class Driver:
    """Moves one template project through the process, one engine call per tick."""

    def __init__(self, eng, clock: Clock, account_id: str, members: dict[str, str]):
        self.eng, self.clock, self.account_id = eng, clock, account_id
        self.members = members             # a candidate group -> who of it answers
        self.iid = ""

    def start(self) -> None:
        self.clock.tick("start")
        self.iid = self.eng.start(PROCESS, OWNER, {"project_name": PROJECT, "account_id": self.account_id})

    def _open(self, bpmn_id: str):
        return [t for t in self.eng.instance(self.iid).tasks if t.bpmn_id == bpmn_id]

    def do(self, bpmn_id: str, decision: str = "approve", limit: int | None = None, **extra) -> None:
        for task in self._open(bpmn_id)[:limit]:
            actor = task.assignee or self.members.get(task.group or "", MANAGER_A)
            self.clock.tick(bpmn_id)
            self.eng.complete(task.id, actor, _answer(bpmn_id, decision, **extra))

    def fill(self, steps=INFORMATION + ("proposal",)) -> None:
        for step in steps:
            self.do(step)

    def withdraw(self) -> None:
        self.clock.tick("withdrawn")
        self.eng.withdraw(self.iid, OWNER, "客戶延後採購 / the customer postponed the purchase")


def _answer(bpmn_id: str, decision: str, **extra) -> dict:
    found = answer(bpmn_id, OWNER, decision, **extra)
    if bpmn_id == "customer_info":
        found = {"customer": {**found["customer"], "name": ACCOUNT}}
    if bpmn_id == "project_info":
        found = {"project": {**found["project"], "budget_amount": BUDGET}}
    if bpmn_id == "proposal":
        found = {"proposal": {**found["proposal"], "expected_revenue": BUDGET}}
    return found


def _review(d: Driver, decision: str = "approve", return_to: str = "proposal") -> None:
    d.do("manager_review", decision, return_to=return_to)


SCENARIOS = {
    "pool_review": lambda d: d.fill(),
    "information": lambda d: d.fill(INFORMATION[:2]),
    "proposal": lambda d: d.fill(INFORMATION),
    "manager_review": lambda d: d.fill(),
    "committee": lambda d: (d.fill(), _review(d), d.do("committee_vote", limit=2)),
    "authorisation": lambda d: (d.fill(), _review(d), d.do("committee_vote")),
    "returned_proposal": lambda d: (d.fill(), _review(d, "return")),
    "returned_information": lambda d: (d.fill(), _review(d, "return", "information")),
    "resubmitted": lambda d: (d.fill(), _review(d, "return"), d.fill(("proposal",))),
    "established": lambda d: (d.fill(), _review(d), d.do("committee_vote"), d.do("authorisation")),
    "established_after_return": lambda d: (d.fill(), _review(d, "return", "information"), d.fill(), _review(d),
                                           d.do("committee_vote"), d.do("authorisation")),
    "declined": lambda d: (d.fill(), _review(d), d.do("committee_vote", "decline")),
    "withdrawn_information": lambda d: (d.fill(INFORMATION[:3]), d.withdraw()),
    "withdrawn_review": lambda d: (d.fill(), _review(d, "return"), d.withdraw()),
}


def scratch_engine(committee: list[tuple[str, list[str]]], directory: Path | None = None):
    """A scratch SQLite engine with the process deployed, the target's committee and the stand-ins."""
    from ..facade import Engine
    folder = Path(directory or tempfile.mkdtemp(prefix="kamflow-scale-"))
    clock = Clock()
    eng = Engine(f"sqlite:///{folder / 'templates.db'}", clock=clock)
    eng.deploy(Path(__file__).resolve().parents[2] / "workflows")
    for name, groups in committee:
        eng.add_user(name, groups=groups, department="hq")
    eng.add_user(MANAGER_A, groups=["manager"], department=DEPARTMENT)
    eng.add_user(OWNER, groups=["rep"], department=DEPARTMENT, reports_to=MANAGER_A)
    return eng, clock


def capture_all(committee: list[tuple[str, list[str]]], directory: Path | None = None) -> list[Captured]:
    """Every scenario once for an owner with one manager, and the pool's for one with two."""
    eng, clock = scratch_engine(committee, directory)
    try:
        account_id = eng.accounts.create(OWNER, {"name": ACCOUNT, "account_type": "national"})
        members = {f"group:{group}": name for name, groups in reversed(committee) for group in groups}
        found = [_run(eng, clock, name, account_id, members, pooled=False) for name in SCENARIOS
                 if name != "pool_review"]
        eng.add_user(MANAGER_B, groups=["manager"], department=DEPARTMENT)   # now two: reviews go to the pool
        found.append(_run(eng, clock, "pool_review", account_id, members, pooled=True))
        return found
    finally:
        eng.close()


def _run(eng, clock: Clock, scenario: str, account_id: str, members: dict[str, str], pooled: bool) -> Captured:
    clock.fake, clock.real, clock.steps = [], [], []
    driver = Driver(eng, clock, account_id, members)
    driver.start()
    SCENARIOS[scenario](driver)
    clock.tick("end")                          # closes the last action's real-time window
    found = Captured(scenario, pooled, driver.iid, account_id, fake=list(clock.fake), real=list(clock.real),
                     steps=list(clock.steps))
    with eng.db.connect() as conn:
        found.rows = rows_of(conn, driver.iid)
    return found


def rows_of(conn, instance_id: str) -> dict[str, list[dict]]:
    """Everything the engine wrote about one project, table by table, in the order written."""
    events = [dict(r._mapping) for r in conn.execute(
        select(AuditEvent.__table__).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.seq))]
    ids = [e["id"] for e in events]
    tasks = [dict(r._mapping) for r in conn.execute(
        select(Task.__table__).where(Task.instance_id == instance_id).order_by(Task.created_at, Task.id))]
    return {
        "instances": [dict(r._mapping) for r in conn.execute(select(Instance.__table__)
                                                             .where(Instance.id == instance_id))],
        "tasks": tasks,
        "task_candidates": [dict(r._mapping) for r in conn.execute(
            select(TaskCandidate.__table__).where(TaskCandidate.task_id.in_([t["id"] for t in tasks])))],
        "committee_rounds": [dict(r._mapping) for r in conn.execute(
            select(CommitteeRound.__table__).where(CommitteeRound.instance_id == instance_id)
            .order_by(CommitteeRound.id))],
        "audit_events": events,
        "audit_payloads": [dict(r._mapping) for r in conn.execute(
            select(AuditPayload.__table__).where(AuditPayload.event_id.in_(ids)))],
        "notifications": [dict(r._mapping) for r in conn.execute(
            select(Notification.__table__).where(Notification.instance_id == instance_id)
            .order_by(Notification.id))],
    }
