"""Is this process fit to take requests? The database answers and its schema is the one this code expects.

A reverse proxy asks this (GET /readyz) before sending a process traffic. The schema must be at
exactly this code's migration head: behind it (a restored older backup) the code would fail on
missing columns; ahead of it (a newer release migrated the database) this process is old and wants
a restart. Every process upgrades the schema as it starts, so a fresh one is at the head.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from .connect import alembic_config

log = logging.getLogger("kamflow.readiness")


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str          # for the operator; names no host, user or data
    revision: str = ""   # the database's schema revision ("" when unknown)
    head: str = ""       # the revision this code expects


@lru_cache(maxsize=1)
def code_head() -> str:
    """The migration head of the code in this process (read once: the files do not change under it)."""
    return ",".join(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def readiness(db: Engine) -> Readiness:
    """Ask the database for its schema revision, in a short read transaction of its own."""
    head = code_head()
    try:
        with db.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            revision = ",".join(sorted(MigrationContext.configure(conn).get_current_heads()))
            conn.rollback()
    except Exception as exc:  # noqa: BLE001 - whatever the driver raises, the answer is "not ready"
        log.warning("readiness: database unreachable: %s", exc)
        return Readiness(False, "database unreachable", head=head)
    if revision == head:
        return Readiness(True, "ready", revision, head)
    if not revision:
        return Readiness(False, "schema not created (run `kamflow init`)", revision, head)
    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision in known:
        return Readiness(False, "schema behind this code (run `kamflow init`)", revision, head)
    return Readiness(False, "schema newer than this code (restart with the new release)", revision, head)
