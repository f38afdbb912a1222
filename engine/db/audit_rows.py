"""How the audit events, their payloads and the rows riding with them go in, on each database.

engine/auditlog.py numbers and chains the events; this module sends them, at the end of the unit of
work, with the other rows the step holds to its end (late_inserts.py): on PostgreSQL as one statement
built once (json_rows.py), on SQLite as one batched INSERT into the view `held_rows` (held_rows.py).
"""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Select, Table, and_, insert, select, tuple_
from sqlalchemy.orm import Session

from . import held_rows, json_rows, late_inserts
from .schema import AuditEvent, AuditPayload


def send(session: Session, events: list[dict], payloads: list[dict | None],
         riders: list[late_inserts.Batch]) -> list[int]:
    """Insert the riders, the events and their payloads. On PostgreSQL in one statement (the payloads'
    INSERT reads the new ids from the events' INSERT in a WITH, each rider is another INSERT there; all
    rows bound as JSON, json_rows.py, so that the statement is built once), which returns the events'
    ids in order; on SQLite, which has no INSERT inside a WITH, in one batched INSERT into a view whose
    triggers spread them (held_rows.py), which returns none: `ids_of` reads them when wanted."""
    if session.bind.dialect.name != "postgresql":
        dialect = session.bind.dialect
        spread = [r for r in riders if r.table.name in held_rows.TARGETS]
        late_inserts.send(session, [r for r in riders if r not in spread])
        with_payloads = [{**event, held_rows.PAYLOAD: payload} for event, payload in zip(events, payloads)]
        held_rows.send(session, [*((r.table.name, held_rows.encode(dialect, r.table, r.rows)) for r in spread),
                                 ("audit_events", held_rows.encode(dialect, AuditEvent.__table__, with_payloads,
                                                                   AuditPayload.data.type))])
        return []
    given = [{"stream": event["stream"], "seq": event["seq"], "data": payload}
             for event, payload in zip(events, payloads) if payload]
    statement = _pg_closing(bool(given), tuple((rider.table, rider.keys) for rider in riders))
    params = {"events": json_rows.encode(events, _EVENT_COLUMNS), "payloads": json_rows.encode(given, _PAYLOAD_COLUMNS),
              **{f"rider_{n}": json_rows.encode(rider.rows, [rider.table.c[k] for k in rider.keys])
                 for n, rider in enumerate(riders)}}
    ids = {(stream, seq): event_id for event_id, stream, seq in session.execute(statement, params)}
    return [ids[(event["stream"], event["seq"])] for event in events]


def ids_of(session: Session, events: list[dict]) -> list[int]:
    """The ids the events were given (an erasure's event names the events it erased)."""
    found = session.execute(select(AuditEvent.stream, AuditEvent.seq, AuditEvent.id).where(
        tuple_(AuditEvent.stream, AuditEvent.seq).in_([(e["stream"], e["seq"]) for e in events]))).all()
    ids = {(stream, seq): event_id for stream, seq, event_id in found}
    return [ids[(e["stream"], e["seq"])] for e in events]


_EVENT_COLUMNS = [c for c in AuditEvent.__table__.columns if c.name != "id"]
_PAYLOAD_COLUMNS = [AuditEvent.stream, AuditEvent.seq, AuditPayload.data]


@lru_cache(maxsize=32)
def _pg_closing(with_payloads: bool, riders: tuple[tuple[Table, tuple[str, ...]], ...]) -> Select:
    """The events' INSERT (returning their ids), with their payloads' and the riders' INSERTs in its WITH."""
    new = json_rows.insert_rows(AuditEvent.__table__, tuple(c.name for c in _EVENT_COLUMNS), "events")
    new = new.returning(AuditEvent.id, AuditEvent.stream, AuditEvent.seq).cte("new_events")
    statement = select(new.c.id, new.c.stream, new.c.seq)
    if with_payloads:
        given = json_rows.rows_param("payloads", _PAYLOAD_COLUMNS)
        stream, seq, data = json_rows.values_of(given, _PAYLOAD_COLUMNS)
        put = insert(AuditPayload).from_select(
            ["event_id", "data"], select(new.c.id, data).join(given, and_(stream == new.c.stream, seq == new.c.seq)))
        statement = statement.add_cte(put.cte("new_payloads"))
    for n, (table, keys) in enumerate(riders):
        statement = statement.add_cte(json_rows.insert_rows(table, keys, f"rider_{n}").cte(f"rider_{n}"))
    return statement
