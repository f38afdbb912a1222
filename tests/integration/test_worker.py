"""The worker loop: works while there is work, then waits; stops when told."""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from engine.db.schema import Notification
from engine.worker import run_worker


def unsent(eng) -> int:
    with eng.ctx.uow(read_only=True) as uow:
        return uow.session.scalar(select(func.count()).select_from(Notification).where(Notification.status == "pending"))


def test_a_worker_goes_on_at_once_while_work_is_queued_and_stops_when_nothing_is_left(loop_eng):
    for n in range(25):              # each draft done queues a mail to bob, the reviewer
        loop_eng.start("review_loop", "amy", {"project_name": f"Mail {n}"})
    for task in loop_eng.tasks("amy"):
        loop_eng.complete(task.id, "amy", {"draft": {"text": "x"}})
    assert unsent(loop_eng) >= 25
    run_worker(loop_eng, interval=3600, once=True, mail_batch=10)   # rounds of 10; an hour between quiet ones
    assert unsent(loop_eng) == 0


def test_a_waiting_worker_stops_as_soon_as_it_is_told(loop_eng):
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(loop_eng, 3600), kwargs={"stop": stop})
    worker.start()
    time.sleep(0.2)
    stop.set()
    worker.join(10)
    assert not worker.is_alive()
