"""A person's inbox as one indexed read: their own open tasks, their groups' unclaimed ones
and those offered to them by name, soonest due first (no due date last), then oldest first.

Each source of tasks is a part of its own (assigned to me; offered to each of my groups;
offered to me by name), so each part walks its own index (`ix_tasks_open_assignee`,
`ix_tasks_open_group`: state, who, then the sort key) in order and stops after a page: a
person with 10,000 tasks reads ~21 rows per part, on any page, on SQLite (whose planner
reads every open task for an `OR` of the two) and on PostgreSQL alike. The parts are
disjoint, so their union needs no de-duplication. Tasks without a due date come after all
dated ones, in the index too (a far date stands in for none).

A list never loads an instance's workflow state: it selects the few columns it shows, and only
for the page's own tasks (the parts read their indexes' sort keys alone). The statements depend
only on the shape of the request (how many groups; which filters; which way the cursor points),
so each shape is built once, with every value a bound parameter but the open state (`OPEN`).
The person and the tasks offered to them by name are read first, together
(`Directory.find_with_offers`): a page is two SELECTs in one read transaction.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import Integer, bindparam, func, literal, literal_column, or_, select, text, true, tuple_, union_all

from .. import auditlog
from ..db import keyset
from ..db.list_indexes import OPEN_TASK
from ..db.text_search import like_pattern, plain
from ..db.schema import AuditEvent, AuditPayload, Instance, Task, TaskCandidate, UTCDateTime
from ..directory import Person
from ..views import HistoryEvent, TaskView
from .context import Context

KEY = (datetime, datetime, str)             # due date (may be None), created, id
# the order of the task indexes (schema.DUE_ORDER): no due date sorts as the far date NO_DUE
DUE_ORDER = func.coalesce(Task.due_at, literal_column("'9999-12-31 23:59:59.999999'"))
NO_DUE = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)
# instances whose open tasks wait (completed and terminated ones have none open); spelled out
# as in the partial index `ix_instances_held` so that both planners see the index applies
HELD = text("instances.status IN ('suspended', 'error')")
# open tasks, the state written out rather than bound (db/list_indexes.py; it was ~0.13 ms of
# a 0.6 ms page at 100k)
OPEN = OPEN_TASK
LISTED = (Task.id, Task.instance_id, Task.bpmn_id, Task.name, Task.lane, Task.form_file, Task.ui_file,
          Task.assignee, Task.candidate_group, Task.state, Task.due_at, Task.created_at)
USER, STEP, PATTERN = bindparam("user"), bindparam("step"), bindparam("pattern")
DUE, CREATED, KEY_ID = bindparam("due", type_=UTCDateTime), bindparam("created", type_=UTCDateTime), bindparam("kid")
LIMIT, OFFSET = bindparam("lim", type_=Integer), bindparam("off", type_=Integer)
NAMED = bindparam("named", expanding=True)
NAMED_TASKS = select(TaskCandidate.task_id).where(TaskCandidate.username == USER)


def decode(token: str | None) -> keyset.Cursor | None:
    return keyset.decode(token, KEY, nullable=(True,))


def key_of(row) -> tuple:
    return (row.due_at, row.created_at, row.id)


def matches_pattern():
    """Projects or accounts whose name contains the bound `pattern` (`text_search.like_pattern`)."""
    return plain(PATTERN)


def in_found_instance():
    """The task's instance is running and its name matches: asked of each task as a part walks
    its index (its instance found by primary key), written as a scalar subquery so that no
    planner turns it into a join that reads every instance whose name matches (a common word
    matches thousands) and sorts their tasks."""
    return (select(literal(1)).where(Instance.id == Task.instance_id, Instance.status == "running", matches_pattern())
            .scalar_subquery().is_not(None))


def _shared(step: bool) -> list:
    """What every part asks of a task: open, not my own project's review, the step filter."""
    return [OPEN, or_(Task.excluded_user.is_(None), Task.excluded_user != USER),
            Task.bpmn_id == STEP if step else true()]


def _sources(groups: int, named: bool) -> list:
    """The disjoint parts, each a function that narrows a select of tasks: assigned to me,
    unclaimed in each of my groups, offered to me by name (`named`: the ids, read first)."""
    names = [bindparam(f"g{i}") for i in range(groups)]

    def mine(q):
        return q.where(Task.assignee == USER)

    def group(name):
        return lambda q: q.where(Task.candidate_group == name, Task.assignee.is_(None))

    def by_name(q):
        return q.where(Task.id.in_(NAMED), Task.assignee.is_(None),
                       or_(Task.candidate_group.is_(None), Task.candidate_group.not_in(names or [literal("")])))
    by_name.few = True          # a handful at most: read by id, in no index's order
    return [mine, *(group(n) for n in names), *([by_name] if named else [])]


def named_tasks(session, user: Person) -> list[str]:
    """The ids of the tasks offered to `user` by name (spiff-arena's lane owners): read
    first, so that the parts reach them by id rather than by scanning open tasks."""
    return list(session.connection().scalars(NAMED_TASKS, {"user": user.username}))


@lru_cache(maxsize=256)
def page_statement(groups: int, named: bool, step: bool, search: bool, way: str, limited: bool, offset: bool,
                   keys_first: bool = False):
    """The statement for a page (`way`: first, after or before the bound key): each part
    reads only its task index in order and stops at `lim` rows (plus the offset); the parts
    are merged in the same order, and only the rows of the page meet their instances (by
    primary key). Held instances' tasks are left out by id (`HELD`); a search needs the
    names, so its parts meet their instances as they go.

    `keys_first` (SQLite): a part takes the sort key alone (its index holds it, and all the part
    asks of a task), and only the page's keys meet their tasks, by primary key. On SQLite that
    reads no task row that misses the page and carries three columns, not thirteen, through
    the merge: 0.04-0.09 ms less a page at 100k. PostgreSQL, which fetches each row as it walks
    the index anyway, was 0.07-0.17 ms (4-6%) slower so: there the parts carry what is shown."""
    forward = way != "before"
    key = tuple_(DUE_ORDER, Task.created_at, Task.id)
    after = {"first": true(), "after": key > tuple_(DUE, CREATED, KEY_ID), "before": key < tuple_(DUE, CREATED, KEY_ID)}
    cut = (LIMIT + OFFSET) if offset else LIMIT
    taken = (DUE_ORDER.label("due_key"), Task.created_at, Task.id) if keys_first else (
        *LISTED, Task.definition_id.label("task_definition"))
    parts = []
    for source in _sources(groups, named):
        part = source(select(*taken).select_from(Task)).where(after[way], *_shared(step))
        if search:
            part = part.where(in_found_instance())
        else:
            part = part.where(Task.instance_id.not_in(select(Instance.id).where(HELD)))
        if not getattr(source, "few", False):
            order = (DUE_ORDER, Task.created_at, Task.id)
            part = part.order_by(*(c if forward else c.desc() for c in order)).limit(cut if limited else None)
        parts.append(select(part.subquery()))
    merged = union_all(*parts).subquery()

    def in_order(rows):
        due = (rows.c.due_key,) if keys_first else (rows.c.due_at.is_(None), rows.c.due_at)
        return [c if forward else c.desc() for c in (*due, rows.c.created_at, rows.c.id)]
    page = (select(merged).order_by(*in_order(merged)).offset(OFFSET if offset else None)
            .limit(LIMIT if limited else None).subquery())
    shown = (Instance.project_name, Instance.owner, Instance.account_name)
    if keys_first:
        return (select(*LISTED, func.coalesce(Task.definition_id, Instance.definition_id).label("definition_id"), *shown)
                .select_from(page).join(Task, Task.id == page.c.id).join(Instance, Instance.id == Task.instance_id)
                .order_by(*in_order(page)))
    return (select(*(page.c[c.key] for c in LISTED),
                   func.coalesce(page.c.task_definition, Instance.definition_id).label("definition_id"), *shown)
            .join_from(page, Instance, Instance.id == page.c.instance_id).order_by(*in_order(page)))


def _values(user: Person, named: list[str], step: str | None, search: str | None) -> dict:
    values = {"user": user.username, **{f"g{i}": g for i, g in enumerate(sorted(user.candidate_groups))}}
    if named:
        values["named"] = named
    if step:
        values["step"] = step
    if search:
        values["pattern"] = like_pattern(search)
    return values


def _way(cursor: keyset.Cursor | None) -> tuple[str, dict]:
    if cursor is None:
        return "first", {}
    due, created, task_id = cursor.key
    return "after" if cursor.forward else "before", {"due": due or NO_DUE, "created": created, "kid": task_id}


def views(ctx: Context, session, rows) -> list[TaskView]:
    """Rows of a page statement as the facade's task views (forms from the cached process models)."""
    out, models = [], {}
    for (task_id, instance_id, bpmn_id, name, lane, form_file, ui_file, assignee, group, state, due, created,
         definition_id, project_name, owner, account_name) in rows:       # the page statement's columns, in order
        model = models.get(definition_id)
        if model is None:
            model = models[definition_id] = ctx.models.by_id(session, definition_id)
        out.append(TaskView(task_id, instance_id, bpmn_id, name, lane, model.form(form_file), model.form(ui_file), due,
                            assignee, group, state, created, project_name, owner, account_name or "",
                            model.kinds.get(bpmn_id, "user")))
    return out


def _keys_first(uow) -> bool:
    return uow.session.get_bind().dialect.name == "sqlite"


def listed(ctx: Context, uow, user: Person, step: str | None, search: str | None, limit: int | None,
           offset: int = 0) -> list[TaskView]:
    """The inbox from `offset` on, `limit` tasks at most (None: every task)."""
    named = named_tasks(uow.session, user)
    statement = page_statement(len(user.candidate_groups), bool(named), bool(step), bool(search), "first",
                               limit is not None, bool(offset), _keys_first(uow))
    values = {**_values(user, named, step, search), "lim": limit, "off": offset}
    return views(ctx, uow.session, uow.session.execute(statement, values).all())


def page(ctx: Context, uow, user: Person, named: list[str], step: str | None, search: str | None,
         cursor: keyset.Cursor | None, size: int, offset: int = 0) -> keyset.Page:
    """One page after (or before) `cursor` (or, without one, from `offset`: the API's older
    way, as slow as it is deep), with its neighbours' cursors."""
    way, at = _way(cursor)
    statement = page_statement(len(user.candidate_groups), bool(named), bool(step), bool(search), way, True,
                               bool(offset), _keys_first(uow))
    values = {**_values(user, named, step, search), **at, "lim": size + 1, "off": offset}
    found = uow.session.connection().execute(statement, values).all()   # plain rows (a list is read-only)
    if keyset.short_way_back(cursor, found, size):
        return page(ctx, uow, user, named, step, search, None, size)
    cut = keyset.page_of(found, size, cursor, key_of)
    return keyset.Page(views(ctx, uow.session, cut.items), cut.next, cut.previous)


@lru_cache(maxsize=64)
def counts_statement(groups: int, named: bool, search: bool):
    """Open tasks per step, each part by GROUP BY over its own index, with one instance of
    each step (for its process's order of steps). Without a search only the index is read,
    and the tasks of held instances are taken off afterwards (`held_tasks`): reading each
    task's instance instead would read 10,000 instance rows for a pool of 10,000 tasks."""
    parts = []
    for source in _sources(groups, named):
        counted = source(select(Task.bpmn_id, func.count().label("n"), func.min(Task.instance_id).label("sample"))
                         .select_from(Task)).where(*_shared(False))
        if search:
            counted = counted.where(in_found_instance())
        parts.append(counted.group_by(Task.bpmn_id))
    return union_all(*parts)


HELD_INSTANCES = select(Instance.id).where(HELD)
HELD_TASKS = (select(Task.id, Task.bpmn_id, Task.assignee, Task.candidate_group, Task.excluded_user)
              .where(Task.instance_id.in_(bindparam("held", expanding=True)), OPEN))


def held_tasks(session) -> list:
    """Open tasks of the instances held by an admin or an error (few: the partial index
    `ix_instances_held` finds those instances, `ix_tasks_instance` their tasks)."""
    held = list(session.scalars(HELD_INSTANCES))
    if not held:
        return []
    return session.execute(HELD_TASKS, {"held": held}).all()


def _mine(task, user: Person, named: list[str]) -> bool:
    """Would a part list this task? (for the held tasks, which the counts read apart)"""
    if task.excluded_user == user.username:
        return False
    groups = user.candidate_groups
    return task.assignee == user.username or task.assignee is None and (
        task.candidate_group in groups or task.id in named)


def count_steps(session, user: Person, named: list[str], search: str | None) -> dict[str, tuple[int, str]]:
    """{step: (open tasks, an instance id)}, over every part."""
    out: dict[str, tuple[int, str]] = {}
    statement = counts_statement(len(user.candidate_groups), bool(named), bool(search))
    for bpmn_id, n, sample in session.execute(statement, _values(user, named, None, search)):
        had, first = out.get(bpmn_id, (0, sample))
        out[bpmn_id] = (had + n, min(first, sample))
    for task in held_tasks(session) if not search else []:
        if task.bpmn_id in out and _mine(task, user, named):
            n, sample = out[task.bpmn_id]
            out[task.bpmn_id] = (n - 1, sample)
    return {step: found for step, found in out.items() if found[0] > 0}


# For each listed task (by id) the step completed last before it opened: read backwards along
# its instance's audit stream on the (stream, seq) index, one correlated lookup a task; one
# statement whatever the number of tasks (their ids an expanding list), so compiled once.
_LAST_BEFORE = (select(AuditEvent.id).where(AuditEvent.stream == literal(auditlog.instance_stream("")) + Task.instance_id,
                                            AuditEvent.kind == "completed", AuditEvent.at <= Task.created_at)
                .order_by(AuditEvent.seq.desc()).limit(1).correlate(Task).scalar_subquery())
RETURNS = (select(Task.id.label("for_task"), AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.kind,
                  AuditEvent.task_id, AuditEvent.bpmn_id, AuditEvent.task_name, AuditEvent.meta,
                  AuditPayload.data.label("payload"))
           .select_from(Task).join(AuditEvent, AuditEvent.id == _LAST_BEFORE)
           .outerjoin(AuditPayload, AuditPayload.event_id == AuditEvent.id)
           .where(Task.id.in_(bindparam("tasks", expanding=True))))


def returns(session, user: Person, tasks: list[TaskView]) -> dict[str, HistoryEvent]:
    """{task id: the step completed last before it opened} for my own projects' listed tasks,
    in one statement that loads no instance. Whether that step was a review that returned the
    work is for the reader to see (its decision is in the event's data)."""
    own = [t for t in tasks if t.owner == user.username and t.created is not None]
    if not own:
        return {}
    found = session.execute(RETURNS, {"tasks": [t.id for t in own]}).all()
    return {r.for_task: HistoryEvent(r.id, r.at, r.actor, r.kind, r.task_id, r.bpmn_id, r.task_name,
                                     {**(r.meta or {}), **(r.payload or {})}) for r in found}
