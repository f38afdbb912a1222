"""Copies of a template project: new ids, owner, manager, account, name, budget and times.

Each copy's actions get times of their own (how long each step waited is drawn per step), its
audit stream is chained afresh with the audit log's own hash functions, and its messages are
marked sent unless they are from the last day. Deterministic: a copy's random choices
come from its own seed.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from .. import auditlog
from . import shape
from .pattern import Actions, Row, escape
from .templates import ACCOUNT, BUDGET, DEPARTMENT, MANAGER_A, MANAGER_B, OWNER, PROJECT, Captured

YEARS = 3
UNSENT_WITHIN = timedelta(days=1)


@dataclass(frozen=True)
class Copy:
    """One project to write: which template, whose, on which account, when."""

    scenario: str
    seed: int
    owner: str
    managers: tuple[str, str]         # the owner's department's manager(s); the second for the pool
    department: str
    account_id: str
    account_name: str
    project_name: str
    starts: float = 0.0               # epoch seconds of its first action (for numbering)


def new_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Template:
    """A captured template project compiled into row patterns."""

    def __init__(self, captured: Captured):
        self.scenario, self.steps = captured.scenario, captured.steps
        self.running = captured.rows["instances"][0]["status"] == "running"
        actions = Actions(captured.fake, captured.real)
        rows = captured.rows
        self.task_ids = [t["id"] for t in rows["tasks"]]
        tokens = {captured.instance_id: "iid", captured.account_id: "account_id", OWNER: "owner",
                  MANAGER_A: "manager_a", MANAGER_B: "manager_b", DEPARTMENT: "department", PROJECT: "project",
                  ACCOUNT: "account", str(BUDGET): "budget", **{t: f"task{i}" for i, t in enumerate(self.task_ids)}}
        self.instance = Row(rows["instances"][0], tokens, actions, skip=("number", "definition_id"))
        self.tasks = [Row(r, tokens, actions) for r in rows["tasks"]]
        self.candidates = [Row(r, tokens, actions) for r in rows["task_candidates"]]
        self.rounds = [Row(r, tokens, actions, skip=("id",)) for r in rows.get("committee_rounds", [])]
        payloads = {p["event_id"]: p for p in rows["audit_payloads"]}
        self.events = [(Row(e, tokens, actions, skip=("id", "hash", "prev_hash", "payload_hash")),
                        Row({"data": payloads[e["id"]]["data"]}, tokens, actions) if e["id"] in payloads else None)
                       for e in rows["audit_events"]]
        self.notifications = [Row(n, tokens, actions, skip=("id",)) for n in rows["notifications"]]

    def times(self, rng: random.Random, now: datetime, starts: float | None = None) -> list[datetime]:
        """Each action's time: the steps' waits drawn in order; a running project's last action a
        few days ago, a finished one's somewhere in the last three years (or at `starts`)."""
        waits = [shape.step_seconds(rng, step) for step in self.steps[1:-1]]
        total = sum(waits)
        if starts is not None:
            first = starts
        elif self.running:
            first = now.timestamp() - shape.open_age_seconds(rng) - total
        else:
            earliest = now.timestamp() - YEARS * 365 * shape.DAY
            first = rng.uniform(earliest, max(earliest, now.timestamp() - total - shape.DAY))
        stamps = [first]
        for wait in waits:
            stamps.append(stamps[-1] + wait)
        stamps.append(stamps[-1] + 1.0)
        return [datetime.fromtimestamp(s, timezone.utc) for s in stamps]


@dataclass
class Rows:
    """Rows of many copies, by table, ready for bulk inserts."""

    instances: list
    tasks: list
    task_candidates: list
    committee_rounds: list
    audit_events: list
    audit_payloads: list
    audit_heads: list
    notifications: list

    @classmethod
    def empty(cls) -> "Rows":
        return cls([], [], [], [], [], [], [], [])

    def count(self) -> int:
        return sum(len(v) for v in vars(self).values())


class Ids:
    """The next integer ids of the tables that number their rows."""

    def __init__(self, event: int, notification: int):
        self.event, self.notification = event, notification


def render(t: Template, c: Copy, number: int, definition_id: int, now: datetime, ids: Ids, out: Rows) -> None:
    rng = random.Random(c.seed)
    times = t.times(rng, now, c.starts)
    instance_id = new_id(rng)
    raw = {"iid": instance_id, "account_id": c.account_id, "owner": c.owner, "manager_a": c.managers[0],
           "manager_b": c.managers[1], "department": c.department, "project": c.project_name,
           "account": c.account_name, "budget": str(rng.randrange(1_000_000, 9_900_000, 1000)),
           **{f"task{i}": new_id(rng) for i in range(len(t.task_ids))}}
    escaped = {k: escape(v) for k, v in raw.items()}
    inst = t.instance.render(raw, escaped, times)
    inst.update(number=number, definition_id=definition_id)
    if inst.get("deal_size") is not None:          # the template's budget (BUDGET, in the base currency)
        inst["deal_size"] = Decimal(raw["budget"])
    out.instances.append(inst)
    out.tasks.extend(r.render(raw, escaped, times) for r in t.tasks)
    out.task_candidates.extend(r.render(raw, escaped, times) for r in t.candidates)
    for pattern in t.rounds:                       # the committee's rounds, on this copy's deal size
        round_ = pattern.render(raw, escaped, times)
        round_["deal_size"] = Decimal(raw["budget"]) if round_.get("deal_size") is not None else None
        out.committee_rounds.append(round_)
    head = (0, auditlog.GENESIS)
    for event_row, payload_row in t.events:
        event = event_row.render(raw, escaped, times)
        payload = payload_row.render(raw, escaped, times)["data"] if payload_row else None
        if payload is not None and event["kind"] == "started":
            payload["number"] = number
        event.update(prev_hash=head[1], payload_hash=auditlog.sha256(auditlog.canonical(payload))
                     if payload else auditlog.EMPTY_PAYLOAD_HASH)
        event["hash"] = auditlog.event_hash(event)
        event["id"] = ids.event
        ids.event += 1
        out.audit_events.append(event)
        if payload_row is not None:
            out.audit_payloads.append({"event_id": event["id"], "data": payload, "erased_by": None})
        head = (event["seq"], event["hash"])
    if head[0]:
        out.audit_heads.append({"stream": auditlog.instance_stream(instance_id), "seq": head[0], "hash": head[1]})
    for pattern in t.notifications:
        note = pattern.render(raw, escaped, times)
        note["id"] = ids.notification
        ids.notification += 1
        if now - note["created_at"] > UNSENT_WITHIN:
            note.update(status="sent", attempts=1, sent_at=note["created_at"] + timedelta(seconds=20),
                        message_id=f"<{new_id(rng)}@seed.kamflow.test>")
        out.notifications.append(note)
