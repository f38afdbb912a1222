"""Rows held to the end of a transaction (engine/db/late_inserts.py) come out as few INSERTs, whole."""
from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.orm import Session

from engine.db import late_inserts

META = MetaData()
NOTES = Table("notes", META, Column("id", Integer, primary_key=True), Column("who", String(9)),
              Column("tries", Integer, default=0))
ROUNDS = Table("rounds", META, Column("id", Integer, primary_key=True), Column("step", String(9)))


def rows_of(statement) -> list[dict]:
    """The rows an INSERT carries, from its compiled parameters (`who`, or `who_m0`, `who_m1`, ...)."""
    rows: dict[int, dict] = {}
    for name, value in statement.compile().params.items():
        column, _, n = name.rpartition("_m")
        column, n = (column, int(n)) if n.isdigit() else (name, 0)
        rows.setdefault(n, {})[column] = value
    return [rows[n] for n in sorted(rows)]


def test_each_tables_rows_go_in_one_insert_in_the_order_first_added_with_constant_defaults_filled():
    session = Session()
    late_inserts.add(session, NOTES, [{"who": "amy"}])
    late_inserts.add(session, ROUNDS, [{"step": "vote"}])
    late_inserts.add(session, NOTES, [{"who": "bob", "tries": 2}])
    statements = late_inserts.take(session)
    assert [s.table.name for s in statements] == ["notes", "rounds"]
    filled = [row for s in statements if s.table is NOTES for row in rows_of(s)]
    assert {"who": "amy", "tries": 0} in filled and {"who": "bob", "tries": 2} in filled
    assert late_inserts.take(session) == []                      # taken once


def test_rows_with_the_same_keys_share_an_insert():
    session = Session()
    late_inserts.add(session, NOTES, [{"who": "amy"}])
    late_inserts.add(session, NOTES, [{"who": "bob"}])
    statement, = late_inserts.take(session)
    assert [r["who"] for r in rows_of(statement)] == ["amy", "bob"]


def test_a_failed_savepoint_drops_only_what_was_added_after_it_began():
    session = Session()
    late_inserts.add(session, NOTES, [{"who": "amy"}])
    kept = late_inserts.count(session)
    late_inserts.add(session, NOTES, [{"who": "bob"}])
    late_inserts.discard(session, keep=kept)
    statement, = late_inserts.take(session)
    assert [r["who"] for r in rows_of(statement)] == ["amy"]


def test_many_rows_are_split_so_no_insert_carries_too_many_values():
    session = Session()
    late_inserts.add(session, NOTES, [{"who": f"u{n}"} for n in range(late_inserts.ROWS_PER_INSERT * 2 + 1)])
    sizes = [len(rows_of(s)) for s in late_inserts.take(session)]
    assert sizes == [late_inserts.ROWS_PER_INSERT, late_inserts.ROWS_PER_INSERT, 1]


def test_nothing_added_nothing_to_send():
    session = Session()
    late_inserts.add(session, NOTES, [])
    assert late_inserts.count(session) == 0 and late_inserts.take(session) == []
