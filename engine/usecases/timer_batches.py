"""Firing due timers a batch at a time: many instances, one transaction, one commit.

A commit waits for the disk, so one transaction per instance makes a worker as slow as the
disk's flush. A batch claims a handful of due instances (`timers.claim_due`) and fires them
together. Failures are rare and a SAVEPOINT costs two round trips an instance (a fifth of a
worker's time on a busy machine), so a batch first runs without them; if anything in it fails,
it is rolled back whole and run again *carefully*: each instance in a savepoint of its own, so
the one that fails rolls back alone, its incident is recorded in the same transaction, and the
others commit together. Should even the careful batch fail as a whole (at its commit), its
instances fire one by one, each in its own transaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm.exc import StaleDataError

from ..db.retry import is_transient
from ..errors import Conflict, ProcessError
from . import incidents, timers
from .context import Context

BATCH = 20           # instances a transaction fires; it holds their rows (and SQLite's writer) meanwhile
# On SQLite a batch holds the one writer's lock: every user's completion waits for it to end, so
# batches there are small (bench/web_during_timers.py: a POST's p95 during a backlog of 2,000 timers)
SQLITE_BATCH = 5
log = logging.getLogger("kamflow.engine")


@dataclass
class Round:
    """One call's walk through the due instances, batch after batch, each instance once."""
    now: datetime
    size: int = BATCH
    after: tuple[datetime, str] | None = None       # the key of the last instance taken
    seen: set[str] = field(default_factory=set)
    claimed: list[tuple[datetime, str]] = field(default_factory=list)   # the latest batch's keys
    careful: bool = False                           # each instance in a savepoint (after a failure)

    def advance(self) -> bool:
        """Move past the latest batch; False when it claimed nothing (the round is over)."""
        self.careful = False
        if not self.claimed:
            return False
        self.after = self.claimed[-1]
        self.seen.update(iid for _due, iid in self.claimed)
        return True

    def unseen(self) -> list[str]:
        return [iid for _due, iid in self.claimed if iid not in self.seen]


def fire_all(eng, now: datetime) -> int:
    """Fire every timer due at `now`, batch after batch, through the engine's `_write` (which runs a
    batch again when the database asks); a batch in which anything failed runs again carefully, and
    one that cannot be saved as a whole even so fires one instance per transaction."""
    fired, rnd = 0, Round(now, SQLITE_BATCH if eng.db.dialect.name == "sqlite" else BATCH)
    while True:
        try:
            fired += eng._write(lambda uow: fire_batch(eng.ctx, uow, rnd))
        except Exception as exc:   # noqa: BLE001 - rolled back whole: again carefully, else one by one
            if not rnd.careful:
                log.info("a batch of timers failed (%s); firing it again carefully", incidents.describe(exc))
                rnd.careful = True
                continue
            log.warning("a batch of %d timer instance(s) failed (%s); firing them one by one",
                        len(rnd.claimed), incidents.describe(exc))
            fired += sum(_fire_one(eng, iid, now) for iid in rnd.unseen())
        if not rnd.advance():
            return fired


def _fire_one(eng, instance_id: str, now: datetime) -> int:
    """One instance in a transaction of its own; its failure becomes its incident."""
    try:
        return eng._write(lambda uow: timers.fire_instance(eng.ctx, uow, instance_id, now),
                          on_error=eng._incident_for(lambda: instance_id))
    except (ProcessError, Conflict):
        return 0    # recorded as an incident (or taken by another worker)
    except Exception as exc:   # noqa: BLE001 - any failure of one instance is that instance's
        log.error("timers of instance %s failed: %s", instance_id, incidents.describe(exc))
        try:
            eng._write(lambda uow: incidents.record(eng.ctx, uow, instance_id, incidents.describe(exc)))
        except Exception:   # noqa: BLE001 - not even the incident could be saved: the log has it
            log.exception("could not record the incident of instance %s", instance_id)
        return 0


def fire_batch(ctx: Context, uow, rnd: Round) -> int:
    """Claim the next batch of due instances and fire them; returns how many timers fired. Done
    carefully, each instance fires in its own savepoint and a process or database error of one
    becomes its incident; else any failure goes up. A conflict the database asks to repeat goes
    up either way, and the unit of work runs the whole batch again."""
    s = uow.session
    rnd.claimed = []                 # nothing claimed yet by this attempt, should the claim itself fail
    claimed = timers.claim_due(s, rnd.now, rnd.after, rnd.size)
    rnd.claimed = [(inst.next_timer_at, inst.id) for inst in claimed]
    # in id order: on PostgreSQL each commit then locks the projects' shards in one order (migration 0045)
    claimed = sorted((inst for inst in claimed if inst.id not in rnd.seen), key=lambda inst: inst.id)
    before = timers.open_tasks_of(s, [inst.id for inst in claimed])
    fired = 0
    for inst in claimed:
        if not rnd.careful:
            fired += timers.fire_locked(ctx, uow, inst, rnd.now, before[inst.id])
            continue
        try:
            with uow.savepoint():
                fired += timers.fire_locked(ctx, uow, inst, rnd.now, before[inst.id])
        except StaleDataError:
            raise
        except Exception as exc:   # noqa: BLE001 - any failure of one instance is that instance's
            if is_transient(exc):
                raise
            _record_incident(ctx, uow, inst.id, exc)
    return fired


def _record_incident(ctx: Context, uow, instance_id: str, exc: Exception) -> None:
    problem = incidents.describe(exc)
    log.error("timers of instance %s failed: %s", instance_id, problem)
    try:
        with uow.savepoint():
            incidents.record(ctx, uow, instance_id, problem)
    except Exception as again:   # noqa: BLE001 - not even the incident could be saved: the log has it
        if is_transient(again):
            raise
        log.exception("could not record the incident of instance %s", instance_id)
