"""The audit log: append-only streams of hash-chained events with erasable payloads.

Design and reasons in docs/audit.md. Use cases *record* events on their session; the unit of
work *appends* them just before it commits, after every other change has been flushed, so
the head rows of the streams are always the last locks a transaction takes.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .db import audit_rows, late_inserts
from .db.schema import INSTANCE_STREAM, AuditEvent, AuditHead, AuditPayload

GENESIS = "0" * 64
ERASURE_KINDS = ("erased", "redacted")
_QUEUE = "kamflow.audit_queue"
_KNOWN_HEADS = "kamflow.audit_known_heads"
_SEQ_TAKEN = ("uq_audit_events_stream_seq", "UNIQUE constraint failed: audit_events.stream, audit_events.seq")


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


EMPTY_PAYLOAD_HASH = sha256(canonical({}))


def instance_stream(instance_id: str) -> str:
    return f"{INSTANCE_STREAM}{instance_id}"


def account_stream(account_id: str) -> str:
    return f"account:{account_id}"


def user_stream(username: str) -> str:
    return f"user:{username}"


def _utc(at: datetime) -> str:
    return at.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


def event_hash(fields: dict) -> str:
    """The hash of an event's chained fields (every column but `id`, `hash` and the payload)."""
    return sha256(canonical({**fields, "at": _utc(fields["at"])}))


@dataclass
class _Pending:
    fields: dict
    payload: dict | None
    erases: dict[int, dict | None] = field(default_factory=dict)   # event id -> replacement (None: erase)


def record(session: Session, stream: str, kind: str, actor: str | None, at: datetime, *,
           instance_id: str | None = None, task_id: str | None = None, bpmn_id: str | None = None,
           task_name: str | None = None, meta: dict | None = None, payload: dict | None = None) -> None:
    """Queue an event; it is appended when the unit of work commits (or dropped on rollback)."""
    fields = {"stream": stream, "kind": kind, "actor": actor, "at": at, "instance_id": instance_id,
              "task_id": task_id, "bpmn_id": bpmn_id, "task_name": task_name, "meta": dict(meta or {})}
    session.info.setdefault(_QUEUE, []).append(_Pending(fields, dict(payload) if payload else None))


def erase(session: Session, stream: str, event_ids: list[int], actor: str | None, at: datetime, *,
          kind: str = "erased", replacements: dict[int, dict] | None = None, meta: dict | None = None) -> None:
    """Erase (or, with `replacements`, redact) payloads of earlier events, recorded as a new event.

    The erasure event names the erased events in its chained `meta`; their payload rows are
    cleared and point at it, so `verify` accepts the missing or changed payloads."""
    if kind not in ERASURE_KINDS:
        raise ValueError(f"an erasure is recorded as one of {ERASURE_KINDS}")
    replacements = replacements or {}
    ids = sorted(set(event_ids))
    record(session, stream, kind, actor, at, meta={**(meta or {}), "events": ids})
    pending = session.info[_QUEUE][-1]
    pending.erases = {i: replacements.get(i) for i in ids}


def pending(session: Session) -> bool:
    return bool(session.info.get(_QUEUE))


def queued_count(session: Session) -> int:
    return len(session.info.get(_QUEUE, ()))


def discard_queued(session: Session, keep: int = 0) -> None:
    """Drop the events queued after the first `keep` (all by default)."""
    del session.info.setdefault(_QUEUE, [])[keep:]


def known_head(session: Session, stream: str, head: tuple[int, str] | None) -> None:
    """`stream`'s head as a statement of this transaction read it (db/locks.py reads the instance's with
    a completion's lock): its events are numbered on from there without claiming the head. Should
    another writer have appended since, the stream's unique (stream, seq) turns the events away and
    the transaction runs again (StaleDataError), so the chain never forks."""
    if head is not None:
        session.info.setdefault(_KNOWN_HEADS, {})[stream] = head


def append_queued(session: Session, riders: list[late_inserts.Batch] = ()) -> None:
    """Number, chain and insert the queued events; called by the unit of work before commit.
    The heads not already known (`known_head`) are claimed (and locked) in one statement, the events
    and their payloads go in together with `riders`, other rows the transaction adds at its end
    (db/audit_rows.py, db/late_inserts.py), and the database moves each head on to its stream's newest
    event as the events go in (a trigger, migration 0040)."""
    queue = session.info.pop(_QUEUE, [])
    known = session.info.pop(_KNOWN_HEADS, {})
    if not queue:
        late_inserts.send(session, riders)
        return
    streams = sorted({p.fields["stream"] for p in queue})
    claimed = [s for s in streams if s not in known]
    heads = {**{s: known[s] for s in streams if s in known}, **(_claim_heads(session, claimed) if claimed else {})}
    events = []
    for item in queue:
        seq, prev = heads[item.fields["stream"]]
        fields = {**item.fields, "seq": seq + 1, "prev_hash": prev,
                  "payload_hash": sha256(canonical(item.payload)) if item.payload else EMPTY_PAYLOAD_HASH}
        events.append({**fields, "hash": event_hash(fields)})
        heads[item.fields["stream"]] = (seq + 1, events[-1]["hash"])
    try:
        ids = audit_rows.send(session, events, [item.payload for item in queue], riders)
    except IntegrityError as exc:
        if len(claimed) < len(streams) and any(name in str(exc.orig) for name in _SEQ_TAKEN):
            raise StaleDataError("another writer appended to this audit stream first; the step runs again") from exc
        raise
    if any(item.erases for item in queue) and not ids:
        ids = audit_rows.ids_of(session, events)
    for item, event_id in zip(queue, ids):
        for erased_id, replacement in item.erases.items():
            row = session.get(AuditPayload, erased_id)
            if row is not None:
                row.data, row.erased_by = replacement, event_id
    session.flush()                                   # the heads follow their events (migration 0040)


def _claim_heads(session: Session, streams: list[str]) -> dict[str, tuple[int, str]]:
    """Each stream's (seq, hash), its head row locked to the transaction's end: created if new, else
    "updated" to itself, which takes the row lock (PostgreSQL waits here for another appender;
    SQLite's writers already queue at BEGIN IMMEDIATE). One statement for all, rows taken in
    `streams`' (sorted) order, so two appenders never hold each other's heads crosswise."""
    dialect = session.bind.dialect.name
    if len(streams) == 1:                       # nearly always (one project's stream): built once
        rows = session.execute(_CLAIM_ONE[dialect], {"at_stream": streams[0]})
    else:
        rows = session.execute(_claim(dialect, [{"stream": s, "seq": 0, "hash": GENESIS} for s in streams]))
    return {stream: (seq, last) for stream, seq, last in rows}


def _claim(dialect: str, values):
    insert_into = pg_insert if dialect == "postgresql" else sqlite_insert
    claim = insert_into(AuditHead).values(values)
    claim = claim.on_conflict_do_update(index_elements=["stream"], set_={"seq": AuditHead.seq})
    return claim.returning(AuditHead.stream, AuditHead.seq, AuditHead.hash)


_CLAIM_ONE = {dialect: _claim(dialect, {"stream": bindparam("at_stream"), "seq": 0, "hash": GENESIS})
              for dialect in ("postgresql", "sqlite")}


# -- reading ----------------------------------------------------------------------------------

def payloads(session: Session, event_ids: list[int]) -> dict[int, dict]:
    """The readable payloads of these events ({} for none or erased)."""
    if not event_ids:
        return {}
    rows = session.execute(select(AuditPayload.event_id, AuditPayload.data)
                           .where(AuditPayload.event_id.in_(event_ids))).all()
    return {event_id: dict(data or {}) for event_id, data in rows}


# -- verifying --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    stream: str
    seq: int | None
    event_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.stream} #{self.seq}" if self.seq is not None else self.stream
        return f"{where} (event {self.event_id}): {self.message}" if self.event_id else f"{where}: {self.message}"


def verify(session: Session, stream: str | None = None) -> list[Problem]:
    """The first problem of each stream (altered, missing or reordered rows); [] when intact."""
    heads = {h.stream: h for h in session.scalars(
        select(AuditHead).where(AuditHead.stream == stream) if stream else select(AuditHead))}
    q = (select(AuditEvent, AuditPayload).outerjoin(AuditPayload, AuditPayload.event_id == AuditEvent.id)
         .order_by(AuditEvent.stream, AuditEvent.seq))
    if stream:
        q = q.where(AuditEvent.stream == stream)
    problems, current, state = [], None, None
    for event, payload in session.execute(q).yield_per(1000):
        if event.stream != current:
            if current is not None and state is not None:
                problems.extend(_check_tail(current, state, heads.pop(current, None)))
            current, state = event.stream, {"seq": 0, "hash": GENESIS, "broken": False}
        if state["broken"]:
            continue
        problem = _check_event(session, event, payload, state)
        if problem:
            problems.append(problem)
            state["broken"] = True
        state["seq"], state["hash"] = event.seq, event.hash
    if current is not None and state is not None:
        problems.extend(_check_tail(current, state, heads.pop(current, None)))
    for name, head in heads.items():
        if head.seq:
            problems.append(Problem(name, 1, None, f"the stream's {head.seq} event(s) are missing"))
    return problems


def _check_tail(stream: str, state: dict, head: AuditHead | None) -> list[Problem]:
    if state["broken"]:
        return []
    if head is None or (head.seq, head.hash) != (state["seq"], state["hash"]):
        expected = head.seq if head else "?"
        return [Problem(stream, state["seq"] + 1, None,
                        f"events after #{state['seq']} are missing (the head says #{expected})")]
    return []


def _check_event(session: Session, event: AuditEvent, payload: AuditPayload | None, state: dict) -> Problem | None:
    def problem(message):
        return Problem(event.stream, event.seq, event.id, message)
    if event.seq != state["seq"] + 1:
        return problem(f"expected #{state['seq'] + 1} next: an event is missing or out of order")
    if event.prev_hash != state["hash"]:
        return problem("does not follow the previous event (its link was altered)")
    fields = {c: getattr(event, c) for c in ("stream", "seq", "kind", "actor", "at", "instance_id", "task_id",
                                             "bpmn_id", "task_name", "meta", "payload_hash", "prev_hash")}
    if event_hash(fields) != event.hash:
        return problem("the event was altered")
    if payload is None:
        return None if event.payload_hash == EMPTY_PAYLOAD_HASH else problem("its payload is missing")
    if payload.erased_by is None:
        return None if sha256(canonical(payload.data)) == event.payload_hash else problem("its payload was altered")
    eraser = session.get(AuditEvent, payload.erased_by)
    if eraser is None or eraser.kind not in ERASURE_KINDS or event.id not in (eraser.meta or {}).get("events", []):
        return problem("its payload was removed without a recorded erasure")
    return None
