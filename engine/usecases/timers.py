"""Firing due timers: reminders and escalations on reviews, or any timer a process has.

Many workers may run this at once. Each instance is fired in its own transaction; its
row is locked first (on PostgreSQL with SKIP LOCKED, so a worker passes over rows another
worker, or a user completing a task, holds right now; they stay due for the next round),
and the row version guards against double firing.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

from sqlalchemy import and_, or_, select

from ..db.schema import Instance
from ..directory import Directory
from ..spiff import FiredTimer
from ..status import Status
from .context import Context
from .runtimes import load_runtime
from .projection import apply_runtime, audit, notify, open_tasks


def due_instances(ctx: Context, now: datetime, page: int = 100) -> Iterator[str]:
    """Every running instance with a timer due at `now`, soonest first, each once per call.

    Read page by page after the last one seen, so instances that fail every time (or that
    another worker holds) never hide the ones queued behind them."""
    after, seen = None, set()
    while True:
        q = select(Instance.id, Instance.next_timer_at).where(
            Instance.status == Status.RUNNING.value, Instance.next_timer_at <= now)
        if after is not None:
            q = q.where(or_(Instance.next_timer_at > after[0],
                            and_(Instance.next_timer_at == after[0], Instance.id > after[1])))
        with ctx.uow(read_only=True) as uow:
            rows = uow.session.execute(q.order_by(Instance.next_timer_at, Instance.id).limit(page)).all()
        for iid, _due in rows:
            if iid not in seen:
                seen.add(iid)
                yield iid
        if len(rows) < page:
            return
        after = (rows[-1].next_timer_at, rows[-1].id)


def _receivers(directory: Directory, timer: FiredTimer, waiting: list) -> list[str]:
    assignees = [u for t in waiting for u in directory.reached_by(t) if u]
    target = timer.properties.get("escalate_to", "")
    if timer.properties.get("notify") != "escalation" or not target:
        return assignees
    if target == "reports_to":
        bosses = [getattr(directory.find(u), "reports_to", None) for u in assignees]
        return [b for b in bosses if b]
    if target.startswith(("group:", "role:")):           # `role:` as older models wrote it
        return directory.in_group(target.partition(":")[2])
    return [target]


def fire_instance(ctx: Context, uow, instance_id: str, now: datetime) -> int:
    """Fire the due timers of one instance; 0 if another worker got there first."""
    s = uow.session
    inst = s.scalar(select(Instance).where(
        Instance.id == instance_id, Instance.status == Status.RUNNING.value, Instance.next_timer_at <= now)
        .with_for_update(key_share=True, skip_locked=True).execution_options(populate_existing=True))
    if inst is None:
        return 0
    directory = uow.directory
    model = ctx.models.by_id(s, inst.definition_id)
    rt = load_runtime(ctx, uow, inst, model, directory.script_functions())
    before = open_tasks(s, inst.id)
    fired = rt.fire_due_timers(now)
    for timer in fired:
        waiting = [t for t in before if t.bpmn_id == timer.attached_to]
        kind = timer.properties.get("notify", "timer")
        receivers = _receivers(directory, timer, waiting)
        audit(s, inst.id, kind, None, now, bpmn_id=timer.bpmn_id, task_name=timer.name,
              data={"attached_to": timer.attached_to, "notified": sorted(set(receivers))})
        if kind in ("reminder", "escalation"):
            notify(s, directory, receivers, kind, now, inst.id, waiting[0].id if waiting else None,
                   facts={"step": timer.name, "waiting_for": sorted({t.assignee for t in waiting if t.assignee})})
    apply_runtime(s, directory, inst, rt, ctx.clock())
    return len(fired)
