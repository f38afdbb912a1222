"""Read-only views: a user's inbox and one instance with its tasks and history."""
from __future__ import annotations

import copy

from sqlalchemy import select
from sqlalchemy.orm import defer

from .. import auditlog
from ..assignment import may_act
from ..errors import NotAllowed, NotFound
from ..db.schema import AuditEvent, Definition, Incident, Instance, Task
from ..db.text_search import names_contain
from ..directory import Person
from .. import forms
from ..text import LIMITS, field_error, require
from ..views import HistoryEvent, InstanceView, ProcessInfo, TaskView
from . import calls
from . import inbox as listing
from .context import Context
from .instances import get_instance
from ..workspace import projects
from .runtimes import load_runtime


def task_view(ctx: Context, uow, row: Task, inst: Instance, viewer: Person | None = None,
              with_form: bool = True) -> TaskView:
    """A task with its form; `with_form` also loads the workflow for prefilled values."""
    session = uow.session
    values: dict = {}
    data: dict = {}
    instructions = None
    model = calls.model_of_task(ctx, session, inst, row)      # cached: cheap for lists too
    form, ui = model.form(row.form_file), model.form(row.ui_file)
    if with_form:
        if row.state == "open":
            rt = load_runtime(ctx, uow, inst, ctx.models.by_id(session, inst.definition_id), {})
            human = next((h for h in rt.human_tasks() if h.spiff_id == row.spiff_task_id), None)
            if human is not None:
                instructions = human.instructions
                who = viewer or uow.directory.find(row.assignee)
                head = forms.header(inst.project_name, who.display_name if who else "",
                                    who.time_zone if who else "Asia/Taipei", ctx.clock())
                values = copy.deepcopy(forms.prefill(form, human.data, head))   # never hand out cached state
                values.update(projects.prefill(uow, inst, model, row.bpmn_id, human.data, form))
                data = copy.deepcopy(human.data)
        form = forms.with_data_options(form, data)      # dynamic enums: choices from the task's data
    return TaskView(id=row.id, instance_id=row.instance_id, bpmn_id=row.bpmn_id, name=row.name, lane=row.lane,
                    form=form, ui_schema=ui, due=row.due_at, assignee=row.assignee, group=row.candidate_group,
                    state=row.state, created=row.created_at, project_name=inst.project_name, owner=inst.owner,
                    account_name=inst.account_name or "", kind=model.kinds.get(row.bpmn_id, "user"),
                    instructions=instructions, values=values, data=data)


_FILTER_LIMITS = {"search": LIMITS["search"], "step": LIMITS["step"], "owner": LIMITS["username"],
                  "status": Instance.__table__.c.status.type.length}


def check_filters(**filters: str | None) -> None:
    """List filters come from search boxes and URLs: a bad one is refused with its name
    (`search`, `step`, `status`, `owner`), never sent to the database."""
    require(*(field_error(f"$.{name}", value, _FILTER_LIMITS[name]) for name, value in filters.items() if value))


def summary(ctx: Context, uow, row: Task) -> TaskView:
    """A task as lists show it (no form values, no workflow loaded)."""
    inst = uow.session.get(Instance, row.instance_id, options=[defer(Instance.workflow)])
    return task_view(ctx, uow, row, inst, with_form=False)


def inbox(ctx: Context, uow, user: Person, bpmn_id: str | None = None, search: str | None = None,
          limit: int | None = None, offset: int = 0) -> list[TaskView]:
    """The user's own open tasks plus their groups' unclaimed ones, soonest due first;
    optionally only one process step, or projects/accounts matching `search`."""
    check_filters(step=bpmn_id, search=search)
    return listing.listed(ctx, uow, user, bpmn_id, search, limit, offset)


INSTANCE_COLUMNS = (Instance.id, Instance.process_id, Instance.number, Instance.status, Instance.outcome,
                    Instance.owner, Instance.project_name, Instance.account_name, Instance.account_id,
                    Instance.stage, Instance.updated_at, Definition.name.label("process_name"))


def instance_row(r) -> dict:
    """A row of INSTANCE_COLUMNS as the lists of instances hand it out (no workflow state)."""
    return {"id": r.id, "process_id": r.process_id, "process_name": r.process_name or r.process_id,
            "number": r.number, "status": r.status, "outcome": r.outcome, "owner": r.owner,
            "project_name": r.project_name, "account_name": r.account_name, "account_id": r.account_id,
            "stage": r.stage, "updated_at": r.updated_at}


def list_instances(ctx: Context, uow, status: str | None, owner: str | None, search: str | None, limit: int,
                   projects_only: bool, requests_only: bool = False, reviewed_by: str | None = None) -> list[dict]:
    check_filters(status=status, owner=owner, search=search)
    check_filters(owner=reviewed_by)
    q = select(*INSTANCE_COLUMNS).join(Definition, Definition.id == Instance.definition_id)
    q = q.order_by(Instance.updated_at.desc(), Instance.id.desc()).limit(limit)
    if projects_only:
        q = q.where(Instance.process_id.in_(projects.project_processes(ctx, uow.session)))
    if requests_only:
        q = q.where(Instance.process_id.not_in(projects.project_processes(ctx, uow.session)))
    if status:
        q = q.where(Instance.status == status)
    if owner:
        q = q.where(Instance.owner == owner)
    if reviewed_by:
        q = q.where(Instance.owner != reviewed_by, Instance.id.in_(
            select(Task.instance_id).where(Task.closed_by == reviewed_by, Task.state == "completed")))
    if search:
        q = q.where(names_contain(uow.session.get_bind().dialect.name, search))
    return [instance_row(r) for r in uow.session.execute(q)]


def instance_view(ctx: Context, uow, instance_id: str) -> InstanceView:
    s = uow.session
    inst = get_instance(s, instance_id)
    version = s.scalar(select(Definition.version).where(Definition.id == inst.definition_id))
    model = ctx.models.by_id(s, inst.definition_id)
    data = copy.deepcopy(load_runtime(ctx, uow, inst, model, {}).data)
    tasks = [task_view(ctx, uow, t, inst, with_form=False)
             for t in s.scalars(select(Task).where(Task.instance_id == inst.id, Task.state == "open"))]
    events = list(s.scalars(select(AuditEvent).where(AuditEvent.stream == auditlog.instance_stream(inst.id))
                            .order_by(AuditEvent.seq)))
    payloads = auditlog.payloads(s, [e.id for e in events])
    history = [HistoryEvent(e.id, e.at, e.actor, e.kind, e.task_id, e.bpmn_id, e.task_name,
                            {**(e.meta or {}), **payloads.get(e.id, {})}) for e in events]
    incidents = [{"id": i.id, "element": i.element, "line": i.line, "message": i.message,
                  "task_id": i.task_id, "created_at": i.created_at}
                 for i in s.scalars(select(Incident).where(Incident.instance_id == inst.id,
                                                           Incident.resolved_at.is_(None)))]
    calls_made = [{"activity": r["activity"], "process_id": r["process_id"], "version": r["version"]}
                  for r in (inst.called or {}).values()]
    return InstanceView(id=inst.id, process_id=inst.process_id, version=version, status=inst.status,
                        outcome=inst.outcome, owner=inst.owner, project_name=inst.project_name, stage=inst.stage,
                        data=data, tasks=tasks, history=history, created_at=inst.created_at,
                        updated_at=inst.updated_at, next_timer_at=inst.next_timer_at, incidents=incidents,
                        account_id=inst.account_id, account_name=inst.account_name or "",
                        process_name=model.name, calls=calls_made)


def diagram(ctx: Context, uow, instance_id: str) -> dict:
    s = uow.session
    inst = get_instance(s, instance_id)
    definition = s.get(Definition, inst.definition_id)
    model = ctx.models.get(definition)
    rt = load_runtime(ctx, uow, inst, model, {})
    done = rt.completed_ids() | {e.bpmn_id for e in s.scalars(
        select(AuditEvent).where(AuditEvent.instance_id == inst.id, AuditEvent.kind == "completed")) if e.bpmn_id}
    current = sorted({t.bpmn_id for t in s.scalars(select(Task).where(Task.instance_id == inst.id,
                                                                      Task.state == "open"))} | rt.running_calls())
    return {"bpmn": definition.files[definition.main_file], "process_id": inst.process_id,
            "completed": sorted(done - set(current)), "current": current}


def process_info(ctx: Context, uow, instance_id: str) -> ProcessInfo:
    s = uow.session
    inst = get_instance(s, instance_id)
    version = s.scalar(select(Definition.version).where(Definition.id == inst.definition_id))
    return info_of(calls.models_of(ctx, s, inst), inst.process_id, version)


def process_infos(ctx: Context, session, instance_ids) -> dict[str, ProcessInfo]:
    """`process_info` of several instances in one statement, without their workflow state;
    instances that ran the same versions share one, worked out once."""
    rows = session.execute(select(Instance.id, Instance.process_id, Instance.definition_id, Instance.called,
                                  Definition.version).join(Definition, Definition.id == Instance.definition_id)
                           .where(Instance.id.in_(sorted(set(instance_ids))))).all()
    made: dict[tuple, ProcessInfo] = {}
    out = {}
    for r in rows:
        versions = (r.definition_id, r.version, *(c["definition"] for c in (r.called or {}).values()))
        if versions not in made:
            made[versions] = info_of(calls.models_of(ctx, session, r), r.process_id, r.version)
        out[r.id] = made[versions]
    return out


def info_of(models: list, process_id: str, version: int) -> ProcessInfo:
    """Its own process first, then what it called; the instance's own process wins a clash of ids."""
    names, lanes, forms, outcomes = {}, {}, {}, {}
    for model in reversed(models):
        names.update(model.names)
        lanes.update(model.lane_names)
        outcomes.update(model.end_outcomes)
    for model in models:
        for bpmn_id, (schema, ui) in model.user_tasks.items():
            forms.setdefault(bpmn_id, (model.form(schema), model.form(ui)))
    return ProcessInfo(process_id, version, models[0].name, names, lanes, forms, outcomes)


def visible_task(ctx: Context, uow, task_id: str, user: str) -> TaskView:
    """One task with its form, for someone who may act on it or took part in it."""
    row = uow.session.get(Task, task_id) if task_id else None
    if row is None:
        raise NotFound(f"No task {task_id!r}")
    inst = uow.session.get(Instance, row.instance_id)
    person = uow.directory.find(user)
    involved = person is not None and person.username in (inst.owner, row.closed_by, row.assignee)
    named = uow.directory.candidates_of(row.id) if row.assignee is None or row.state != "open" else frozenset()
    if person is None or not (may_act(person, row.assignee, row.candidate_group, row.excluded_user, named)
                              or (row.state != "open" and (involved or may_act(
                                  person, None, row.candidate_group, row.excluded_user, named)))):
        raise NotAllowed(f"{user} may not open this task")
    return task_view(ctx, uow, row, inst, person)


def task_place(uow, task_id: str) -> tuple[str, str]:
    """(instance id, BPMN id) of a task."""
    row = uow.session.get(Task, task_id)
    if row is None:
        raise NotFound(f"No task {task_id!r}")
    return row.instance_id, row.bpmn_id


def inbox_of(ctx: Context, uow, username: str, bpmn_id: str | None, search: str | None, limit: int | None,
             offset: int) -> list[TaskView]:
    """`inbox` for a username; nobody's (an unknown or inactive user) is empty."""
    person = uow.directory.find(username)
    return [] if person is None or not person.active else inbox(ctx, uow, person, bpmn_id, search, limit, offset)
