"""Many rows into one table as one JSON value, on PostgreSQL: a statement that reads the same whatever
the rows and their number, so SQLAlchemy builds and compiles it once per process.

A multi-row `INSERT ... VALUES` carries its rows in the statement: SQLAlchemy gives it no cache key and
compiles it again on every call. The completion's one closing statement (the audit events, their
payloads, the notifications, the committee round: audit_rows.py) was so compiled on every POST,
~1.5 ms of an ~18 ms approval (bench/completions.py). Here the rows are one bound parameter, read by
`json_to_recordset` into the table's own column types.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import JSON, Insert, Table, Text, bindparam, cast, column, func, insert, select
from sqlalchemy.sql.selectable import TableValuedAlias


def _json(c) -> bool:
    return isinstance(c.type, JSON)


def rows_param(name: str, columns: list) -> TableValuedAlias:
    """The rows bound as `name` (a JSON array of objects), as a table of `columns` (SQLAlchemy columns
    whose names and types it takes). A JSON column's value comes as its JSON text (see `encode`)."""
    rows = func.json_to_recordset(cast(bindparam(name, type_=Text), JSON))
    return rows.table_valued(*(column(c.name, Text if _json(c) else c.type) for c in columns)).render_derived(
        name=name, with_types=True)


def values_of(rows: TableValuedAlias, columns: list) -> list:
    """`rows`' columns as their tables take them (JSON text read as JSON)."""
    return [cast(rows.c[c.name], JSON) if _json(c) else rows.c[c.name] for c in columns]


@lru_cache(maxsize=64)
def insert_rows(table: Table, keys: tuple[str, ...], name: str) -> Insert:
    """INSERT into `table`'s columns `keys` of the rows bound as `name` (see `encode`)."""
    columns = [table.c[k] for k in keys]
    return insert(table).from_select(list(keys), select(*values_of(rows_param(name, columns), columns)))


def _plain(value):
    """A value json cannot write, as PostgreSQL reads it in its column: times as naive UTC (how
    db/utc_time.py keeps them), numbers and dates as text."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, (date, Decimal)):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be sent as a column's value")


def encode(rows: list[dict], columns: list) -> str:
    """`rows`' values of `columns` (a missing key: NULL), as the parameter `insert_rows` reads. A JSON
    column's value goes as its JSON text, a string: PostgreSQL's JSON functions would turn a nested
    value's text into its own, and refuse a `\\u0000` there, which a `json` column keeps."""
    json_columns = {c.name for c in columns if _json(c)}
    out = []
    for row in rows:
        item = {}
        for c in columns:
            value = row.get(c.name)
            item[c.name] = json.dumps(value, ensure_ascii=False) if c.name in json_columns and value is not None \
                else value
        out.append(item)
    return json.dumps(out, default=_plain, ensure_ascii=False, separators=(",", ":"))
