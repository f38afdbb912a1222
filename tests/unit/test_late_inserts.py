"""Rows held to the end of a transaction (engine/db/late_inserts.py) come out as one batch per table, whole."""
from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.orm import Session

from engine.db import late_inserts

META = MetaData()
NOTES = Table("notes", META, Column("id", Integer, primary_key=True), Column("who", String(9)),
              Column("tries", Integer, default=0))
ROUNDS = Table("rounds", META, Column("id", Integer, primary_key=True), Column("step", String(9)))


def test_each_tables_rows_go_in_one_insert_in_the_order_first_added_with_constant_defaults_filled():
    session = Session()
    late_inserts.add(session, NOTES, [{"who": "amy"}])
    late_inserts.add(session, ROUNDS, [{"step": "vote"}])
    late_inserts.add(session, NOTES, [{"who": "bob", "tries": 2}])
    batches = late_inserts.take(session)
    assert [b.table.name for b in batches] == ["notes", "rounds"]
    filled = [row for b in batches if b.table is NOTES for row in b.rows]
    assert {"who": "amy", "tries": 0} in filled and {"who": "bob", "tries": 2} in filled
    assert late_inserts.take(session) == []                      # taken once


def test_rows_with_the_same_keys_share_an_insert():
    session = Session()
    late_inserts.add(session, NOTES, [{"who": "amy"}])
    late_inserts.add(session, NOTES, [{"who": "bob"}])
    batch, = late_inserts.take(session)
    assert [r["who"] for r in batch.rows] == ["amy", "bob"] and batch.keys == ("tries", "who")


def test_a_failed_savepoint_drops_only_what_was_added_after_it_began():
    session = Session()
    late_inserts.add(session, NOTES, [{"who": "amy"}])
    kept = late_inserts.count(session)
    late_inserts.add(session, NOTES, [{"who": "bob"}])
    late_inserts.discard(session, keep=kept)
    batch, = late_inserts.take(session)
    assert [r["who"] for r in batch.rows] == ["amy"]


def test_nothing_added_nothing_to_send():
    session = Session()
    late_inserts.add(session, NOTES, [])
    assert late_inserts.count(session) == 0 and late_inserts.take(session) == []
