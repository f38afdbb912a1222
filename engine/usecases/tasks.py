"""Completing, claiming and unclaiming tasks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..assignment import may_act
from ..db.locks import LockedTask, lock_task, lock_task_and_open_rows
from ..db.schema import Instance, Task
from ..directory import Directory, Person
from ..errors import Conflict, FieldError, NotAllowed, NotFound, ValidationFailed
from ..reports.durations import microseconds
from .. import auditlog, forms

from . import calls, decisions, form_files
from .runtimes import load_runtime
from ..status import Status
from ..workspace import coverage, gifts, projects
from .context import Context
from .projection import apply_runtime, audit, open_tasks



def _check_workable(task_id: str, row: Task | None, inst: Instance | None) -> None:
    if row is None:
        raise NotFound(f"No task {task_id!r}")
    if row.state != "open":
        who = f" by {row.closed_by}" if row.closed_by else ""
        raise Conflict(f"This task was already {row.state}{who}")
    if inst.status != Status.RUNNING.value:
        raise Conflict(f"The project is {inst.status}; its tasks cannot be worked on now")


def _open_task(uow, task_id: str) -> tuple[Task, Instance]:
    """The task and its instance, the instance row locked first (see `db.locks`)."""
    row, inst = lock_task(uow.session, task_id)
    _check_workable(task_id, row, inst)
    return row, inst


def _open_task_and_siblings(uow, task_id: str) -> LockedTask:
    """As `_open_task`, with what the same statement read beside it (`locks.LockedTask`): the
    instance's open rows, which a completion passes on instead of reading them again."""
    locked = lock_task_and_open_rows(uow.session, task_id)
    _check_workable(task_id, locked.row, locked.inst)
    return locked


def _actor(directory: Directory, username: str, row: Task) -> Person:
    user = directory.find(username)
    named = directory.candidates_of(row.id) if row.assignee is None else frozenset()   # an assignee decides alone
    if user is None or not may_act(user, row.assignee, row.candidate_group, row.excluded_user, named):
        raise NotAllowed(f"{username} may not work on this task")
    return user


def submitted_values(schema: dict | None, kind: str, data: dict, ui: dict | None = None) -> dict:
    """What a person's answer may put into the process data.

    A manual task or plain task without a form takes no data; nobody's answer may set
    `lane_owners` (who reviews next) unless the form asks for it."""
    values = forms.user_part(schema, data)
    if schema is None and kind != "user" and values:
        raise ValidationFailed([FieldError(f"$.{k}", "is not a field of this task") for k in sorted(values)])
    if "lane_owners" in values and "lane_owners" not in ((schema or {}).get("properties") or {}):
        raise ValidationFailed([FieldError("$.lane_owners", "is not a field of this task")])
    forms.validate(schema, values, ui)
    return values


def _active(directory: Directory, username: str) -> bool:
    person = directory.find(username)
    return person is not None and person.active


@dataclass
class Done:
    row: Task                   # the task completed
    inst: Instance
    user: Person
    opened: list[Task]          # rows this step opened
    open_rows: list[Task]       # every open row of the instance afterwards

    @property
    def following(self) -> list[Task]:
        """The user's next tasks here."""
        return [t for t in self.open_rows if self.may_act(t)]

    may_act: Callable[[Task], bool] = lambda _row: False


def complete_task(ctx: Context, uow, task_id: str, username: str,
                  data: dict | Callable[[Task, Instance, dict], dict]) -> Done:
    """Validate the form, run the workflow on, and say what followed. `data` may be a function of
    the task row, its instance and the task's process data, called once the task is locked."""
    s = uow.session
    locked = _open_task_and_siblings(uow, task_id)
    row, inst = locked.row, locked.inst
    others = [r for r in locked.open_rows if r is not row]
    directory = uow.directory
    if inst.owner:
        directory.keep(inst.owner, locked.owner, locked.owner_groups)     # read with the lock
    directory.find_all([username, inst.owner])          # who acts, if the sign-in did not say: one read
    directory.rely_on(ctx.reference, locked.stamps)     # the scripts' committee and rates: kept while unchanged
    auditlog.known_head(s, auditlog.instance_stream(inst.id), locked.head)     # the events need no claim
    user = _actor(directory, username, row)
    model = ctx.models.by_id(s, inst.definition_id)
    now = ctx.clock()
    rt = load_runtime(ctx, uow, inst, model, directory.script_functions())
    task_data = next((h.data for h in rt.human_tasks() if h.spiff_id == row.spiff_task_id), None)
    if task_data is None:
        raise Conflict("This task is no longer open")
    if callable(data):
        data = data(row, inst, task_data)
    own = calls.model_of_task(ctx, s, inst, row)           # a called process's task: its own form
    schema = own.form(row.form_file)
    values = submitted_values(schema and forms.with_data_options(schema, task_data),
                              own.kinds.get(row.bpmn_id, "user"), data, own.form(row.ui_file))
    strangers = [FieldError(path, "choose one of the active users") for path, name in
                 forms.picked_people(schema, values) if not _active(directory, name)]
    if strangers:
        raise ValidationFailed(strangers)
    values = form_files.store_files(s, inst, row, schema, values, username, now)    # files as attachments
    head = forms.header(inst.project_name, user.display_name, user.time_zone, now)
    filled = dict(task_data.get("forms_filled") or {})
    filled[row.bpmn_id] = {k: head[k] for k in ("filled_by", "date_filled")}
    coverage.check_before_completion(uow, inst, model, row.bpmn_id)
    kept = projects.write_back(ctx, uow, inst, model, row.bpmn_id, values, username)
    gifts.decided(ctx, uow, inst, model, task_data, values, username)
    if not rt.complete(row.spiff_task_id, {**values, **kept, "forms_filled": filled}):
        raise Conflict("This task is no longer open")
    dumped = rt.dump()            # before the first write: on SQLite, outside the writers' turn
    row.state, row.closed_at, row.closed_by = "completed", now, username
    row.duration_us = microseconds(row.created_at, now)     # as 0023's triggers keep it: they find it set
    row.decision, row.reason_code = decisions.decided(values)      # the returns report reads these
    row.first_decision = decisions.FIRST_AT_STEP if row.decision is not None else None
    # (nobody's draft outlives the task: the database deletes them as it closes, migration 0046)
    row.assignee = row.assignee or username
    audit(s, inst.id, "completed", username, now, row, data=values)
    still_open: list[Task] = []
    opened = apply_runtime(s, directory, inst, rt, now, values, actor=username, done=row, still_open=still_open,
                           before=others, dumped=dumped, completed_before=locked.completed_steps)
    return Done(row, inst, user, opened, still_open, lambda t: may_act(
        user, t.assignee, t.candidate_group, t.excluded_user, directory.candidates_of(t.id)))


def claim(ctx: Context, uow, task_id: str, username: str) -> Task:
    row, inst = _open_task(uow, task_id)
    _actor(uow.directory, username, row)
    if row.candidate_group is None and not uow.directory.candidates_of(row.id):
        raise Conflict("This task is assigned, not offered to a group")
    if row.assignee and row.assignee != username:
        raise Conflict(f"{row.assignee} has already claimed this task")
    row.assignee = username
    audit(uow.session, inst.id, "claimed", username, ctx.clock(), row)
    return row


def unclaim(ctx: Context, uow, task_id: str, username: str) -> Task:
    row, inst = _open_task(uow, task_id)
    user = uow.directory.find(username)
    offered = row.candidate_group is not None or bool(uow.directory.candidates_of(row.id))
    if user is None or not offered or (row.assignee != username and not user.is_admin):
        raise NotAllowed(f"{username} cannot hand this task back")
    row.assignee = None
    audit(uow.session, inst.id, "unclaimed", username, ctx.clock(), row)
    return row

