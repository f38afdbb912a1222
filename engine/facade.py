"""The engine's public face: the web UI, the CLI and the tests use only this.

Each method opens one unit of work and calls one use case. Two cross-cutting rules live
here and nowhere else: an instance that moved on under us (e.g. a timer fired) is
reloaded and the operation retried; a process error is recorded as an incident in a
transaction of its own, after the failed one rolled back.
"""
from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from . import auditlog, catalog
from .db.connect import make_engine, upgrade_schema
from .db.schema import Incident, Instance, Task
from .assignment import may_act
from .errors import Conflict, NotAllowed, NotFound, ProcessError
from .status import Status, transition
from .usecases import access, admin, changes, instances, queries, tasks, timers, users
from .usecases.attachments import Attachments
from .usecases.drafts import Drafts
from .usecases.groups import Groups
from .usecases.outbox import Notifications
from .usecases.sessions import Sessions
from .usecases.context import Context, _utcnow
from .usecases.projection import audit
from .views import InstanceView, ProcessInfo, StartForm, TaskView, UserView
from .workspace.facade import Accounts

DEFAULT_FORMS = Path(__file__).resolve().parent.parent / "forms"
_RETRIES = 5


class Engine:
    def __init__(self, url: str, forms_dir: str | Path | None = None,
                 clock: Callable[[], datetime] | None = None):
        self.url = url
        self.db = make_engine(url)
        upgrade_schema(self.db)
        self.forms_dir = Path(forms_dir) if forms_dir else DEFAULT_FORMS
        self.ctx = Context(sessionmaker(self.db, expire_on_commit=False), clock=clock or _utcnow)
        self.sessions = Sessions(self)
        self.drafts = Drafts(self)
        self.attachments = Attachments(self)
        self.notifications = Notifications(self)
        self.admin = admin.Admin(self)
        self.groups = Groups(self)
        self.accounts = Accounts(self)

    def close(self) -> None:
        self.db.dispose()

    # -- plumbing ---------------------------------------------------------------------
    def _write(self, use_case, *args, on_error: dict | None = None):
        """Run a writing use case; retry when the instance moved on; record process errors.

        `on_error` says where a process error belongs: `instance` (a callable giving the
        instance id), and optionally `task_id`, `actor` and `submitted` for a later retry.
        """
        for _ in range(_RETRIES):
            try:
                with self.ctx.uow() as uow:
                    return use_case(uow, *args)
            except StaleDataError:
                continue
            except ProcessError as exc:
                iid = on_error["instance"]() if on_error else None
                if iid:
                    exc.incident_id = self._record_incident(iid, exc, on_error)
                raise
        raise Conflict("Someone else keeps changing this project; please try again")

    def _read(self, use_case, *args):
        with self.ctx.uow(read_only=True) as uow:
            return use_case(uow, *args)

    def _record_incident(self, instance_id: str, exc: ProcessError, where: dict) -> int:
        with self.ctx.uow() as uow:
            inst = uow.session.get(Instance, instance_id)
            now = self.ctx.clock()
            if inst.status != Status.ERROR.value:
                inst.status = transition(inst.status, Status.ERROR).value
            incident = Incident(instance_id=instance_id, task_id=where.get("task_id"), element=exc.element,
                                line=str(exc.line or ""), message=str(exc), actor=where.get("actor"),
                                submitted=where.get("submitted") or {}, created_at=now)
            uow.session.add(incident)
            audit(uow.session, instance_id, "error", where.get("actor"), now,
                  data={"element": exc.element, "message": str(exc)})
            uow.session.flush()
            return incident.id

    def _instance_of_task(self, task_id: str) -> Callable[[], str | None]:
        def find():
            with self.ctx.uow(read_only=True) as uow:
                row = uow.session.get(Task, task_id)
                return row.instance_id if row else None
        return find

    # -- definitions --------------------------------------------------------------------
    def deploy(self, folder: str | Path, user: str | None = None) -> list[dict]:
        """Deploy every BPMN/DMN (and the forms they name) under `folder`; idempotent."""
        files = catalog.read_folder(Path(folder))
        lookup = catalog.form_finder({}, Path(folder), self.forms_dir)
        return self._write(lambda uow: catalog.deploy_bundle(uow.session, files, lookup, user))

    def deploy_files(self, files: dict[str, str], user: str | None = None) -> list[dict]:
        """Deploy uploaded files: BPMN/DMN plus forms by file name (then `forms_dir`)."""
        models = {n: t for n, t in files.items() if n.endswith(catalog.MODEL_FILES)}
        extra = {Path(n).name: t for n, t in files.items() if not n.endswith(catalog.MODEL_FILES)}
        lookup = catalog.form_finder(extra, None, self.forms_dir)
        return self._write(lambda uow: catalog.deploy_bundle(uow.session, models, lookup, user))

    # -- users --------------------------------------------------------------------------
    def add_user(self, username: str, groups=None, department=None, reports_to=None, email=None,
                 password=None, **more) -> UserView:
        """Create or update a user; `groups` (names of existing groups) replaces their groups."""
        return self._write(lambda uow: users.add_user(uow, username, groups, department, reports_to,
                                                      email, password, **more))

    def user(self, username: str) -> UserView:
        return self._read(users.get_user, username)

    def users(self) -> list[UserView]:
        return self._read(users.list_users)

    def authenticate(self, username: str, password: str) -> UserView | None:
        return self._read(users.authenticate, username, password)

    def set_preferences(self, username: str, **prefs) -> UserView:
        """A user's own settings: `notify` (bool), `locale`, `time_zone`."""
        return self._write(lambda uow: users.set_preferences(uow, username, **prefs))

    def set_delegate(self, username: str, actor: str, delegate: str | None,
                     start: datetime | None = None, end: datetime | None = None) -> None:
        """Out of office: new tasks for `username` go to `delegate` between start and end."""
        self._write(lambda uow: admin.set_delegate(self.ctx, uow, username, actor, delegate, start, end))

    # -- instances and tasks ------------------------------------------------------------
    def start_form(self, process_id: str) -> StartForm:
        """The form the latest version of `process_id` asks for at start (schema None: none)."""
        def use_case(uow):
            model = self.ctx.models.get(catalog.latest_definition(uow.session, process_id))
            schema, ui = model.start_form
            return StartForm(process_id, model.name, copy.deepcopy(model.form(schema)), copy.deepcopy(model.form(ui)),
                             model.account_field)
        return self._read(use_case)

    def start(self, process_id: str, user: str, data: dict | None = None) -> str:
        """Start `process_id` for `user` with `data` (checked against its start form, if any)."""
        return self._write(lambda uow: instances.start(self.ctx, uow, process_id, user, data))

    def tasks(self, user: str, bpmn_id: str | None = None, search: str | None = None,
              limit: int | None = None, offset: int = 0) -> list[TaskView]:
        """`user`'s open tasks and their groups' unclaimed ones, soonest due first."""
        def use_case(uow):
            person = uow.directory.find(user)
            return [] if person is None or not person.active else \
                queries.inbox(self.ctx, uow, person, bpmn_id, search, limit, offset)
        return self._read(use_case)

    def task(self, task_id: str, user: str) -> TaskView:
        """One task with its form and prefilled values, if `user` may see it."""
        def use_case(uow):
            row = uow.session.get(Task, task_id) if task_id else None
            if row is None:
                raise NotFound(f"No task {task_id!r}")
            inst = uow.session.get(Instance, row.instance_id)
            person = uow.directory.find(user)
            involved = person is not None and person.username in (inst.owner, row.closed_by, row.assignee)
            named = uow.directory.candidates_of(row.id)
            if person is None or not (may_act(person, row.assignee, row.candidate_group, row.excluded_user, named)
                                      or (row.state != "open" and (involved or may_act(
                                          person, None, row.candidate_group, row.excluded_user, named)))):
                raise NotAllowed(f"{user} may not open this task")
            return queries.task_view(self.ctx, uow, row, inst, person)
        return self._read(use_case)

    def claim(self, task_id: str, user: str) -> None:
        self._write(lambda uow: tasks.claim(self.ctx, uow, task_id, user))

    def unclaim(self, task_id: str, user: str) -> None:
        self._write(lambda uow: tasks.unclaim(self.ctx, uow, task_id, user))

    def complete(self, task_id: str, user: str, data: dict | None = None) -> list[TaskView]:
        """Complete a task; returns the user's next open tasks in the same instance."""
        def use_case(uow, task_id, user, data):
            rows = tasks.complete_task(self.ctx, uow, task_id, user, data)
            person = uow.directory.find(user)
            inst = uow.session.get(Instance, rows[0].instance_id) if rows else None
            return [queries.task_view(self.ctx, uow, r, inst, person, with_form=False) for r in rows]
        data = copy.deepcopy(dict(data or {}))    # the (cached) workflow must not share the caller's dicts
        return self._write(use_case, task_id, user, data,
                           on_error={"instance": self._instance_of_task(task_id), "task_id": task_id,
                                     "actor": user, "submitted": data})

    def withdraw(self, instance_id: str, user: str, reason: str = "") -> None:
        self._write(lambda uow: instances.withdraw(self.ctx, uow, instance_id, user, reason))

    def fire_timers(self, now: datetime | None = None) -> int:
        """Fire every timer due at `now` (aware; default: the clock); returns how many fired."""
        now = now or self.ctx.clock()
        if now.tzinfo is None:
            raise ValueError("fire_timers needs a timezone-aware datetime")
        fired = 0
        for iid in timers.due_instances(self.ctx, now):
            try:
                fired += self._write(lambda uow, iid=iid: timers.fire_instance(self.ctx, uow, iid, now),
                                     on_error={"instance": lambda iid=iid: iid})
            except (ProcessError, Conflict):
                continue    # recorded as an incident (or taken by another worker); go on with the rest
        return fired

    def instance(self, instance_id: str) -> InstanceView:
        return self._read(lambda uow: queries.instance_view(self.ctx, uow, instance_id))

    def instances(self, status: str | None = None, owner: str | None = None, search: str | None = None,
                  limit: int = 200, projects_only: bool = False) -> list[dict]:
        """Instances, latest change first; `projects_only`: key-account projects (`accountField`)."""
        return self._read(lambda uow: queries.list_instances(self.ctx, uow, status, owner, search, limit, projects_only))

    def may_view(self, instance_id: str, user: str) -> bool:
        """May `user` see this project (its data, history, files)?"""
        return self._read(lambda uow: access.may_view(uow, instance_id, user))

    def process_info(self, instance_id: str) -> ProcessInfo:
        """Names, forms and end events of the instance's deployed process version."""
        return self._read(lambda uow: queries.process_info(self.ctx, uow, instance_id))

    def diagram(self, instance_id: str) -> dict:
        """The deployed BPMN of an instance with the elements that ran and the open steps."""
        return self._read(lambda uow: queries.diagram(self.ctx, uow, instance_id))

    def changes(self, task_id: str) -> list[dict]:
        """For a review task: each field the rep changed since this review last returned it."""
        def use_case(uow):
            row = uow.session.get(Task, task_id)
            if row is None:
                raise NotFound(f"No task {task_id!r}")
            return row.instance_id, row.bpmn_id
        instance_id, bpmn_id = self._read(use_case)
        return changes.changes_since_return(self.instance(instance_id).history, bpmn_id)

    # -- admin --------------------------------------------------------------------------
    def verify_audit(self, stream: str | None = None) -> list[auditlog.Problem]:
        """The first altered or missing event of each audit stream; [] when all verify."""
        return self._read(lambda uow: auditlog.verify(uow.session, stream))

    def suspend(self, instance_id: str, user: str, reason: str = "") -> None:
        self._write(lambda uow: instances.set_status(self.ctx, uow, instance_id, user, Status.SUSPENDED, reason))

    def resume(self, instance_id: str, user: str, reason: str = "") -> None:
        self._write(lambda uow: instances.set_status(self.ctx, uow, instance_id, user, Status.RUNNING, reason))

    def terminate(self, instance_id: str, user: str, reason: str = "") -> None:
        self._write(lambda uow: instances.set_status(self.ctx, uow, instance_id, user, Status.TERMINATED, reason))

    def retry(self, incident_id: int, user: str, data: dict | None = None) -> None:
        """Admin: run the failed step again, with corrected form data if given."""
        def use_case(uow):
            inc = uow.session.get(Incident, incident_id)
            if inc is None or inc.resolved_at is not None:
                raise NotFound(f"No open incident {incident_id}")
            admin = uow.directory.find(user)
            if admin is None or not admin.is_admin:
                raise NotAllowed("Only an admin may retry a failed step")
            inst = uow.session.get(Instance, inc.instance_id)
            now = self.ctx.clock()
            if inc.task_id:
                inst.status = transition(inst.status, Status.RUNNING).value
                tasks.complete_task(self.ctx, uow, inc.task_id, user, {**inc.submitted, **(data or {})})
            else:
                instances.resume_after_error(self.ctx, uow, inst)
                timers.fire_instance(self.ctx, uow, inst.id, now)
            inc.resolved_at, inc.resolved_by = now, user
            audit(uow.session, inst.id, "retried", user, now, data={"incident": incident_id})
        try:
            with self.ctx.uow() as uow:
                use_case(uow)
        except ProcessError as exc:
            with self.ctx.uow() as uow:
                inc = uow.session.get(Incident, incident_id)
                inc.message, inc.element, inc.line = str(exc), exc.element, str(exc.line or "")
            exc.incident_id = incident_id
            raise
