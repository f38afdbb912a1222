"""Rows bound as one JSON value (engine/db/json_rows.py): one statement whatever the rows, values as
PostgreSQL reads them in their columns."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import JSON, Column, Date, DateTime, Integer, MetaData, Numeric, String, Table
from sqlalchemy.dialects import postgresql

from engine.db.audit_rows import _pg_closing
from engine.db import json_rows
from engine.db.committee import CommitteeRound
from engine.db.schema import Notification

META = MetaData()
NOTES = Table("notes", META, Column("id", Integer, primary_key=True), Column("who", String(9)),
              Column("at", DateTime), Column("size", Numeric(14, 2)), Column("on", Date), Column("facts", JSON),
              Column("tries", Integer))


def test_times_go_as_naive_utc_numbers_and_dates_as_text_json_as_its_text_and_a_missing_key_as_null():
    taipei = timezone(timedelta(hours=8))
    sent = json.loads(json_rows.encode(
        [{"who": "amy", "at": datetime(2026, 12, 4, 8, 0, tzinfo=taipei), "size": Decimal("12.50"),
          "on": date(2026, 12, 4), "facts": {"decisions": [{"by": "bob", "note": "a\x00b"}]}}],
        [c for c in NOTES.columns if c.name != "id"]))
    assert sent == [{"who": "amy", "at": "2026-12-04T00:00:00", "size": "12.50", "on": "2026-12-04",
                     "facts": '{"decisions": [{"by": "bob", "note": "a\\u0000b"}]}', "tries": None}]
    assert json.loads(sent[0]["facts"]) == {"decisions": [{"by": "bob", "note": "a\x00b"}]}


def test_an_insert_of_any_number_of_rows_is_one_statement_with_one_parameter():
    statement = json_rows.insert_rows(NOTES, ("who", "size", "facts"), "notes_rows")
    assert json_rows.insert_rows(NOTES, ("who", "size", "facts"), "notes_rows") is statement
    compiled = statement.compile(dialect=postgresql.dialect())
    assert list(compiled.params) == ["notes_rows"]
    assert "json_to_recordset" in str(compiled) and "size NUMERIC(14, 2)" in str(compiled)
    assert "facts TEXT" in str(compiled) and "CAST(notes_rows.facts AS JSON)" in str(compiled)


def test_the_closing_statement_of_a_completion_is_built_once_and_has_a_cache_key():
    riders = ((Notification.__table__, ("username", "kind")), (CommitteeRound.__table__, ("instance_id", "step")))
    statement = _pg_closing(True, riders)
    assert _pg_closing(True, riders) is statement
    assert statement._generate_cache_key() is not None          # SQLAlchemy compiles it once per process
    compiled = statement.compile(dialect=postgresql.dialect())
    assert {"events", "payloads", "rider_0", "rider_1"} <= set(compiled.params)   # (and defaults of unnamed columns)
