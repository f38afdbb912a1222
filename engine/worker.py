"""The background worker: fire due timers and deliver the outbox, round after round.

Any number of workers may run, as threads or processes on any host; they coordinate
through the database only. A round that did something (fired a timer, sent mail) is followed
at once by another, since more may be due or queued; only a quiet round waits for the next
interval.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone

from .facade import Engine
from .mail import SmtpSettings, deliver

log = logging.getLogger("kamflow.worker")
MAIL_BATCH = 500     # messages a round sends before the timers get another look


def run_round(eng: Engine, mail: SmtpSettings | None, base_url: str, mail_batch: int = MAIL_BATCH) -> int:
    """One round: every due timer, then up to `mail_batch` messages; returns how much was done."""
    fired = eng.fire_timers(datetime.now(timezone.utc))
    if fired:
        log.info("fired %d timer(s)", fired)
    return fired + deliver(eng, mail, base_url, limit=mail_batch)


def run_worker(eng: Engine, interval: float = 10.0, once: bool = False, stop: threading.Event | None = None,
               mail: SmtpSettings | None = None, base_url: str = "http://127.0.0.1:5000",
               mail_batch: int = MAIL_BATCH) -> None:
    """Work until `stop` is set (or, with `once`, until a round finds nothing to do)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            busy = run_round(eng, mail, base_url, mail_batch) > 0
        except Exception:   # noqa: BLE001 - a worker logs and keeps going
            log.exception("worker round failed")
            busy = False
        if busy:
            continue
        if once or stop.wait(interval):
            return
