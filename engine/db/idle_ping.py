"""Test a pooled PostgreSQL connection before use only when it sat idle for a while.

SQLAlchemy's `pool_pre_ping` sends a round trip at every checkout, two per request (the
identity lookup and the use case each check one out): on a busy server that is two statements
in ~20 for nothing, since a connection returned milliseconds ago is alive. A connection the
server may have dropped (a restart, an idle timeout of a proxy or firewall) has sat in the pool:
one idle for `ping_after` seconds or more is pinged as `pool_pre_ping` would, and a dead one is
replaced before the request sees it (the pool retries on `DisconnectionError`). A connection
that dies while in use fails that request alone, as it would with `pool_pre_ping`: SQLAlchemy
then invalidates the pool, so the next checkouts reconnect.
"""
from __future__ import annotations

import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

_IDLE_SINCE = "kamflow.idle_since"
_FOUND_DEAD = "kamflow.found_dead"  # on the record (it outlives its dead connection): the retry says it pinged
PINGED = "kamflow.pinged"          # set on the record at each checkout: whether it was pinged (tests count it)


def ping_when_idle(engine: Engine, ping_after: float) -> None:
    @event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_connection, record):
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        since = record.info.pop(_IDLE_SINCE, None)          # None: just connected
        due = since is not None and time.monotonic() - since >= ping_after
        record.info[PINGED] = due or record.record_info.pop(_FOUND_DEAD, False)
        if not due:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            record.record_info[_FOUND_DEAD] = True
            raise DisconnectionError(f"a pooled connection idle {time.monotonic() - since:.0f} s was dead") from exc
