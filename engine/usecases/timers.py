"""Firing due timers: reminders and escalations on reviews, or any timer a process has.

Many workers may run this at once. An instance's row is locked before it fires (on PostgreSQL
with SKIP LOCKED, so a worker passes over rows another worker, or a user completing a task,
holds right now; they stay due for the next round), and the row version guards against
double firing. `timer_batches` fires several claimed instances in one transaction.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import literal, select, tuple_

from ..db.schema import Instance, Task
from ..directory import Directory
from ..spiff import FiredTimer
from ..status import Status
from .context import Context
from .runtimes import load_runtime
from .projection import apply_runtime, audit, notify, open_tasks


def claim_due(session, now: datetime, after: tuple[datetime, str] | None, limit: int) -> list[Instance]:
    """Lock and load up to `limit` running instances with a timer due at `now`, soonest first, after
    the key (due time, id) `after`. On PostgreSQL rows another transaction holds are skipped: they
    stay due for the next round; reading on after the last key taken means an instance that fails
    every time is tried once a round and never hides the ones queued behind it."""
    q = select(Instance).where(Instance.status == Status.RUNNING.value, Instance.next_timer_at <= now)
    if after is not None:     # a row-value range, which both planners walk in the index (0024)
        q = q.where(tuple_(Instance.next_timer_at, Instance.id)
                    > tuple_(literal(after[0], Instance.next_timer_at.type), literal(after[1], Instance.id.type)))
    return list(session.scalars(q.order_by(Instance.next_timer_at, Instance.id).limit(limit)
                                .with_for_update(key_share=True, skip_locked=True)
                                .execution_options(populate_existing=True)))


def open_tasks_of(session, instance_ids: list[str]) -> dict[str, list[Task]]:
    """The open task rows of these instances, in one read (as `open_tasks` orders them)."""
    found: dict[str, list[Task]] = {iid: [] for iid in instance_ids}
    for row in session.scalars(select(Task).where(Task.instance_id.in_(instance_ids), Task.state == "open")
                               .order_by(Task.created_at, Task.id)):
        found[row.instance_id].append(row)
    return found


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
    inst = uow.session.scalar(select(Instance).where(
        Instance.id == instance_id, Instance.status == Status.RUNNING.value, Instance.next_timer_at <= now)
        .with_for_update(key_share=True, skip_locked=True).execution_options(populate_existing=True))
    if inst is None:
        return 0
    return fire_locked(ctx, uow, inst, now, open_tasks(uow.session, inst.id))


def fire_locked(ctx: Context, uow, inst: Instance, now: datetime, before: list[Task]) -> int:
    """Fire the due timers of an instance whose row this transaction holds; `before`: its open tasks."""
    s = uow.session
    directory = uow.directory
    model = ctx.models.by_id(s, inst.definition_id)
    rt = load_runtime(ctx, uow, inst, model, directory.script_functions())
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
    apply_runtime(s, directory, inst, rt, ctx.clock(), before=before)
    return len(fired)
