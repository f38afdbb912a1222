"""On SQLite the rows a step holds to its end go in through the view `held_rows` (engine/db/held_rows.py,
migration 0047): its triggers fill every column of their tables, and the rows read back exactly as
the ORM would have put them."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engine.db import held_rows
from engine.db.committee import CommitteeRound
from engine.db.schema import Base, Notification

ON_SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@ON_SQLITE
def test_the_views_triggers_fill_every_column_of_their_tables_but_the_id(eng):
    with eng.db.connect() as conn:
        triggers = dict(conn.execute(text("SELECT name, sql FROM sqlite_master "
                                          "WHERE type = 'trigger' AND name LIKE 'held%'")).all())
    assert set(triggers) == {f"held_{target}" for target in held_rows.TARGETS}
    for target in held_rows.TARGETS:
        filled = re.search(rf"INSERT INTO {target} \(([^)]*)\)", triggers[f"held_{target}"]).group(1).split(", ")
        assert sorted(filled) == sorted(c.name for c in Base.metadata.tables[target].columns if c.name != "id")


@ON_SQLITE
def test_held_rows_read_back_as_the_orm_would_have_put_them(kam_eng):
    iid = kam_eng.start("key_account_development", "amy", {"project_name": "Held"})
    at = datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=timezone.utc)
    facts = {"decisions": [{"by": "bob", "reason": "預算不足\x00, \"quoted\""}]}
    notice = {"username": "amy", "kind": "returned", "instance_id": iid, "actor": "bob", "facts": facts,
              "created_at": at}                  # the rest: the columns' defaults, as the ORM gives them
    vote = {"instance_id": iid, "step": "committee_vote", "voting_rule": "majority", "deal_size": Decimal("1250000.50"),
            "deal_currency": "TWD", "members": 3, "opened_at": at, "approvals": 0, "returns": 0, "declines": 0}
    with Session(kam_eng.db) as session, session.begin():
        dialect = session.bind.dialect
        held_rows.send(session, [("notifications", held_rows.encode(dialect, Notification.__table__, [notice])),
                                 ("committee_rounds", held_rows.encode(dialect, CommitteeRound.__table__, [vote]))])
    with Session(kam_eng.db) as session:
        got = session.scalars(select(Notification).where(Notification.kind == "returned")).one()
        held = session.scalars(select(CommitteeRound).where(CommitteeRound.instance_id == iid)).one()
        assert (got.username, got.facts, got.created_at, got.status, got.attempts, got.locale) == (
            "amy", facts, at, "pending", 0, "zh_Hant")
        assert got.next_attempt_at.tzinfo is not None and got.last_error is None
        assert (held.deal_size, held.opened_at, held.closed_at, held.members) == (Decimal("1250000.50"), at, None, 3)
