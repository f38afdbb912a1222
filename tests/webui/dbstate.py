"""Every row of every table, read straight from the database: to prove that a refused request
changed nothing, to find where an accepted value was stored, and to put a baseline back."""
from __future__ import annotations

import json

from sqlalchemy import create_engine, delete, insert, select

from engine.db.schema import Base

# Sessions change on any request (flashes, expiry); they are the browser's state, not data.
NOT_DATA = {"auth_sessions"}
TABLES = Base.metadata.sorted_tables
# The audit log is append-only in the database itself (docs/audit.md): never put back, it only grows.
KEPT = [t for t in TABLES if t.name.startswith("audit_")]
# A refused sign-in is recorded on purpose (docs/security.md): counted for throttling, and audited on
# the `user:<name>` stream. That is the security log, not data a refusal may not change.
SECURITY_LOG = {"login_failures"}
APPEND_ONLY = "audit_events"          # its first column is its id


def _plain(value):
    """A value as it can be compared and hashed: JSON documents as their text."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return bytes(value) if isinstance(value, memoryview) else value


class Tables:
    """Reads every table, again only where the database says something changed since the last read:
    SQLite's `data_version` (moves when another connection commits), on PostgreSQL each table's row
    count and newest row version (`xmin`: an insert or update writes a new one, a delete lowers the
    count). A change can only make a table be read again, never hide one. The audit log refuses
    UPDATE and DELETE in the database itself, so only its new events are read."""

    def __init__(self, url: str):
        self.db = create_engine(url)
        self.watch = create_engine(url, isolation_level="AUTOCOMMIT").connect()   # one connection: data_version
        self.read: dict[str, tuple] = {}                                          # table -> (mark, rows)

    def _marks(self) -> dict[str, object]:
        if self.watch.dialect.name == "sqlite":
            version = self.watch.exec_driver_sql("PRAGMA data_version").scalar()
            return {t.name: version for t in TABLES}
        counts = " UNION ALL ".join(f"SELECT '{t.name}', count(*), max(xmin::text::bigint) FROM {t.name}"
                                    for t in TABLES)
        return {name: (count, newest) for name, count, newest in self.watch.exec_driver_sql(counts)}

    def _rows(self, conn, table, after: int | None = None) -> frozenset[tuple]:
        where = f" WHERE id > {after}" if after is not None else ""
        return frozenset(tuple(map(_plain, row)) for row in conn.exec_driver_sql(f"SELECT * FROM {table.name}{where}"))

    def snapshot(self) -> dict[str, frozenset[tuple]]:
        """Every row as the driver returns it (cheap to compare)."""
        marks, taken = self._marks(), {}
        with self.db.connect() as conn:
            for t in TABLES:
                mark, rows = self.read.get(t.name, (None, None))
                if rows is None or mark != marks[t.name]:
                    if rows is not None and t.name == APPEND_ONLY:
                        rows = rows | self._rows(conn, t, after=max((row[0] for row in rows), default=0))
                    else:
                        rows = self._rows(conn, t)
                    self.read[t.name] = (marks[t.name], rows)
                taken[t.name] = rows
        return taken

    def rows(self) -> dict[str, list[dict]]:
        """Every row as the model types read it, to put back with `restore`."""
        with self.db.connect() as conn:
            return {t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in TABLES}

    def restore(self, rows: dict[str, list[dict]]) -> None:
        """Every table but the audit log back to `rows`. Each emptied again just before its rows go
        in: the summaries' triggers (migrations 0027-0043) write into summary tables as other tables'
        rows go and come."""
        tables = [t for t in TABLES if t not in KEPT]
        with self.db.begin() as conn:
            for table in reversed(tables):
                conn.execute(delete(table))
            for table in tables:
                conn.execute(delete(table))
                if rows[table.name]:
                    conn.execute(insert(table), rows[table.name])

    def close(self) -> None:
        self.watch.close()
        self.watch.engine.dispose()
        self.db.dispose()


def restorable_differ(one: dict, other: dict) -> bool:
    """Whether `restore` has anything to put back between two snapshots."""
    return any(one[t.name] != other[t.name] for t in TABLES if t not in KEPT)


def _on_a_user_stream(row: tuple) -> bool:
    return any(isinstance(value, str) and value.startswith("user:") for value in row)


def changed_rows(before: dict, after: dict) -> dict[str, set[tuple]]:
    """Rows added, removed or altered, per table (sessions and the security log left out)."""
    changed = {name: rows for name in after
               if name not in NOT_DATA | SECURITY_LOG and (rows := before[name] ^ after[name])}
    user_events = {row[0] for row in changed.get("audit_events", ()) if _on_a_user_stream(row)}   # row[0]: id
    kept = {"audit_events": lambda row: row[0] not in user_events,
            "audit_heads": lambda row: not _on_a_user_stream(row),
            "audit_payloads": lambda row: row[0] not in user_events}                 # row[0]: event_id
    for name, keep in kept.items():
        rows = {row for row in changed.pop(name, ()) if keep(row)}
        if rows:
            changed[name] = rows
    return changed


def text_leaves(rows: dict[str, set[tuple]]) -> set[str]:
    """Every string held in the rows, inside JSON documents too (keys and values)."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.add(value)
            if value[:1] in "{[":
                try:
                    walk(json.loads(value))
                except ValueError:
                    pass
        elif isinstance(value, dict):
            for key, sub in value.items():
                walk(key)
                walk(sub)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for sub in value:
                walk(sub)
    walk(list(rows.values()))
    return found
