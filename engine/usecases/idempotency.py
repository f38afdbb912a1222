"""Idempotency keys: a POST retried with the same key has one effect and gets the same answer.

The first request with a key claims it (a row saying "being answered"); once answered, the
answer is stored on the row. A retry with the same key and the same request gets that stored
answer back; with a different request it is refused; while the first is still being worked
on it is told so. The rows live in the database, so this holds across app processes, and
expire after a configurable time. A claim that ends without an answer worth repeating (the
server failed, the database was busy) is released, so the client may simply try again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..db.api_keys import IdempotencyKey

NEW, ANSWERED, IN_PROGRESS, MISMATCH = "new", "answered", "in_progress", "mismatch"


@dataclass(frozen=True)
class KeyState:
    """What a key says about a request: `new` (go ahead), `answered` (here is the answer),
    `in_progress` (the first request is not answered yet), `mismatch` (another request's key)."""

    state: str
    status: int | None = None
    body: dict | list | None = None
    location: str | None = None


def claim(ctx, uow, username: str, key: str, fingerprint: str, ttl: timedelta) -> KeyState:
    s = uow.session
    now = ctx.clock()
    s.execute(delete(IdempotencyKey).where(IdempotencyKey.username == username, IdempotencyKey.expires_at <= now))
    insert = pg_insert if s.bind.dialect.name == "postgresql" else sqlite_insert
    added = s.execute(insert(IdempotencyKey).values(username=username, key=key, fingerprint=fingerprint,
                                                    created_at=now, expires_at=now + ttl)
                      .on_conflict_do_nothing(index_elements=["username", "key"]).returning(IdempotencyKey.key))
    if added.scalar() is not None:
        return KeyState(NEW)
    row = s.scalars(select(IdempotencyKey).where(IdempotencyKey.username == username, IdempotencyKey.key == key)
                    .execution_options(populate_existing=True)).one()
    if row.fingerprint != fingerprint:
        return KeyState(MISMATCH)
    if row.status is None:
        return KeyState(IN_PROGRESS)
    return KeyState(ANSWERED, row.status, row.body, row.location)


def answer(uow, username: str, key: str, status: int, body, location: str | None) -> None:
    uow.session.execute(update(IdempotencyKey)
                        .where(IdempotencyKey.username == username, IdempotencyKey.key == key,
                               IdempotencyKey.status.is_(None))
                        .values(status=status, body=body, location=location))


def release(uow, username: str, key: str) -> None:
    uow.session.execute(delete(IdempotencyKey).where(IdempotencyKey.username == username, IdempotencyKey.key == key,
                                                     IdempotencyKey.status.is_(None)))


class IdempotencyKeys:
    """`Engine.idempotency`: claim a key, then store its answer or release it."""

    def __init__(self, eng):
        self._eng = eng

    def claim(self, username: str, key: str, fingerprint: str, ttl: timedelta) -> KeyState:
        return self._eng._write(lambda uow: claim(self._eng.ctx, uow, username, key, fingerprint, ttl))

    def answer(self, username: str, key: str, status: int, body, location: str | None = None) -> None:
        self._eng._write(lambda uow: answer(uow, username, key, status, body, location))

    def release(self, username: str, key: str) -> None:
        self._eng._write(lambda uow: release(uow, username, key))
