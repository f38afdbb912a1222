"""The engine's public face: the web UI, the CLI and the tests use only this.

Each method opens one unit of work and calls one use case. Two cross-cutting rules live here and nowhere else:
work the database or another writer undid is run again (an instance that moved on under us, e.g. a timer
fired; a deadlock or lock time-out the database asks us to retry); a process error is recorded as an incident
in a transaction of its own, after the failed one rolled back.
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine as SqlEngine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from . import auditlog, catalog
from .db.connect import make_engine, upgrade_schema
from .db.retry import is_transient, pause_before_retry
from .db.schema import Task
from .db.session import EngineSession
from .assignment import may_act
from .errors import Busy, Conflict, NotAllowed, NotFound, ProcessError
from .status import Status
from .usecases import (access, admin, changes, completion, incidents, instances, processes, queries, redaction,
                        signin, tasks, timer_batches, users, lists)
from .usecases.attachments import Attachments
from .usecases.drafts import Drafts
from .usecases.groups import Groups
from .usecases.idempotency import IdempotencyKeys
from .usecases.outbox import Notifications
from .usecases.process_catalog import ProcessCatalog
from .usecases.sessions import Sessions, session_key
from .usecases.tokens import Tokens
from .usecases.context import Context, _utcnow
from .views import Completion, InstanceView, ProcessInfo, StartForm, TaskView, UserView
from .reports.facade import Reports
from .workspace.exchange_rates import Rates
from .workspace.facade import Accounts
from .workspace.ledger_facade import Ledger
from .workspace.personal import Personal

DEFAULT_FORMS = Path(__file__).resolve().parent.parent / "forms"
_ATTEMPTS = 8            # a clash with another writer, or a deadlock, costs at most this many runs
log = logging.getLogger("kamflow.engine")


class Engine:
    def __init__(self, url: str, forms_dir: str | Path | None = None,
                 clock: Callable[[], datetime] | None = None, db: SqlEngine | None = None):
        self.url = url
        self.db = db or make_engine(url)
        if db is None:      # `db`: another Engine's SQLAlchemy engine, its schema current (docs/reliability.md)
            upgrade_schema(self.db)
        self.forms_dir = Path(forms_dir) if forms_dir else DEFAULT_FORMS
        self.ctx = Context(sessionmaker(self.db, class_=EngineSession, expire_on_commit=False),
                           clock=clock or _utcnow)
        self.sessions = Sessions(self)
        self.drafts = Drafts(self)
        self.attachments = Attachments(self)
        self.notifications = Notifications(self)
        self.admin = admin.Admin(self)
        self.groups = Groups(self)
        self.accounts = Accounts(self)
        self.ledger = Ledger(self)
        self.personal = Personal(self)
        self.rates = Rates(self)
        self.reports = Reports(self)
        self.process_catalog = ProcessCatalog(self)
        self.tokens = Tokens(self)
        self.deployed = processes.Deployed(self)
        self.idempotency = IdempotencyKeys(self)
        self.lists = lists.Lists(self)

    def close(self) -> None:
        self.db.dispose()

    # -- plumbing ---------------------------------------------------------------------
    def _write(self, use_case, *args, on_error: Callable[[ProcessError], None] | None = None,
               optimistic: bool = False):
        """Run a writing use case in one transaction, again when the instance moved on under
        us or the database asks for it (with a short random pause); `on_error` records a
        process error once the failed transaction has rolled back. `optimistic`: the use case
        locks what it relies on (db/locks.py), so on SQLite it may read ahead of its turn."""
        busy = False
        for attempt in range(_ATTEMPTS):
            try:
                with self.ctx.uow(optimistic=optimistic) as uow:
                    return use_case(uow, *args)
            except StaleDataError:
                busy = False
            except DBAPIError as exc:
                if not is_transient(exc):
                    raise
                busy = True
                log.info("database asked to retry (attempt %d): %s", attempt + 1, exc.orig)
                pause_before_retry(attempt)
            except ProcessError as exc:
                if on_error is not None:
                    on_error(exc)
                raise
        if busy:
            raise Busy("The database is too busy to save this step right now; nothing was saved")
        raise Conflict("Someone else keeps changing this project; please try again")

    def _read(self, use_case, *args, one_statement: bool = False):
        """Run a reading use case in one read transaction; with `one_statement`, a use case that
        sends a single SELECT runs without a transaction around it (no BEGIN, no ROLLBACK)."""
        with self.ctx.uow(read_only=True, one_statement=one_statement) as uow:
            return use_case(uow, *args)

    def _incident_for(self, instance: Callable[[], str | None], **where) -> Callable[[ProcessError], None]:
        """An `on_error` that records the error against the instance `instance()` names."""
        def record(exc: ProcessError) -> None:
            iid = instance()
            if iid:
                exc.incident_id = self._write(lambda uow: incidents.record(self.ctx, uow, iid, exc, **where))
        return record

    def _instance_of_task(self, task_id: str) -> Callable[[], str | None]:
        return lambda: self._read(lambda uow: getattr(uow.session.get(Task, task_id), "instance_id", None))

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

    def authenticate(self, username: str, password: str, address: str = "unknown") -> UserView | None:
        """The user, or None for a wrong name or password; TooManyAttempts while this account or
        client address must wait. The ~40 ms password check holds no transaction open."""
        now, address = self.ctx.clock(), (address or "unknown")[:64]
        self._read(signin.check_not_throttled, username, address, now)
        person = self._read(users.authenticate, username, password)
        if person is None:
            self._write(signin.record_failure, username, address, now)
        else:
            self._write(signin.record_success, username, address, now)
        return person

    def change_password(self, username: str, current: str, new: str, keep_session: str | None = None) -> None:
        """A user's own password change; ends every session of theirs but `keep_session` (a token)."""
        keep = session_key(keep_session) if keep_session else None
        self._write(lambda uow: users.change_password(uow, username, current, new, keep, self.ctx.clock()))

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
        return self._read(lambda uow: processes.start_form(self.ctx, uow, process_id))

    def may_start(self, process_id: str, user: str) -> bool:
        """Whether the catalog lets `user` start `process_id` and they belong in its start lane."""
        return self._read(lambda uow: processes.may_start(self.ctx, uow, process_id, user))

    def start(self, process_id: str, user: str, data: dict | None = None) -> str:
        """Start `process_id` for `user` with `data` (checked against its start form, if any)."""
        return self._write(lambda uow: instances.start(self.ctx, uow, process_id, user, data))

    def tasks(self, user: str, bpmn_id: str | None = None, search: str | None = None,
              limit: int | None = None, offset: int = 0) -> list[TaskView]:
        """`user`'s open tasks and their groups' unclaimed ones, soonest due first."""
        return self._read(lambda uow: queries.inbox_of(self.ctx, uow, user, bpmn_id, search, limit, offset))

    def task(self, task_id: str, user: str) -> TaskView:
        """One task with its form and prefilled values, if `user` may see it."""
        return self._read(lambda uow: queries.visible_task(self.ctx, uow, task_id, user))

    def claim(self, task_id: str, user: str) -> TaskView:
        return self._write(lambda uow: queries.summary(self.ctx, uow, tasks.claim(self.ctx, uow, task_id, user)))

    def unclaim(self, task_id: str, user: str) -> TaskView:
        return self._write(lambda uow: queries.summary(self.ctx, uow, tasks.unclaim(self.ctx, uow, task_id, user)))

    def complete(self, task_id: str, user: str, data: dict | None = None) -> list[TaskView]:
        """Complete a task; returns the user's next open tasks in the same instance."""
        return self.complete_step(task_id, user, data).following

    def complete_step(self, task_id: str, user: str, answer: dict | Callable[[TaskView], dict] | None,
                      identified: UserView | None = None) -> Completion:
        """Complete a task and say what followed. `answer`: the form data, or a function of the task
        (with its form) returning it, asked once the task is found, locked and may be worked on.
        `identified`: `user` as the request's sign-in has just read them (not read again)."""
        submitted: dict = {}

        def use_case(uow):
            if identified is not None and identified.username == user:
                uow.directory.know(users.person_of(identified))
            return completion.complete(self.ctx, uow, task_id, user, answer, submitted)
        return self._write(use_case, optimistic=True,
                           on_error=self._incident_for(self._instance_of_task(task_id), task_id=task_id,
                                                       actor=user, submitted=submitted))

    def withdraw(self, instance_id: str, user: str, reason: str = "") -> None:
        self._write(lambda uow: instances.withdraw(self.ctx, uow, instance_id, user, reason))

    def fire_timers(self, now: datetime | None = None) -> int:
        """Fire every timer due at `now` (aware; default: the clock); returns how many fired.
        A batch of instances per transaction, one bad instance never holding back the others
        (`timer_batches.fire_all`)."""
        now = now or self.ctx.clock()
        if now.tzinfo is None:
            raise ValueError("fire_timers needs a timezone-aware datetime")
        return timer_batches.fire_all(self, now)

    def instance(self, instance_id: str) -> InstanceView:
        return self._read(lambda uow: queries.instance_view(self.ctx, uow, instance_id))

    def instances(self, status: str | None = None, owner: str | None = None, search: str | None = None,
                  limit: int = 200, projects_only: bool = False, requests_only: bool = False,
                  reviewed_by: str | None = None) -> list[dict]:
        """Instances, latest change first; `projects_only`: key-account projects; `requests_only`: every other
        process's; `reviewed_by`: others' instances in which this user completed a step (a review, a vote)."""
        return self._read(lambda uow: queries.list_instances(self.ctx, uow, status, owner, search, limit,
                                                             projects_only, requests_only, reviewed_by))

    def may_view(self, instance_id: str, user: str) -> bool:
        """May `user` see this project (its data, history, files)?"""
        return self._read(lambda uow: access.may_view(uow, instance_id, user))

    def process_info(self, instance_id: str) -> ProcessInfo:
        """Names, forms and end events of the instance's deployed process version."""
        return self._read(lambda uow: queries.process_info(self.ctx, uow, instance_id))

    def diagram(self, instance_id: str) -> dict:
        """The deployed BPMN of an instance with the elements that ran and the open steps."""
        return self._read(lambda uow: queries.diagram(self.ctx, uow, instance_id))

    def changes(self, task_id: str, view: InstanceView | None = None) -> list[dict]:
        """For a review task: each field the rep changed since this review last returned it (`view`:
        the task's instance, when the caller has loaded it already)."""
        task = next((t for t in view.tasks if t.id == task_id), None) if view is not None else None
        instance_id, bpmn_id = (task.instance_id, task.bpmn_id) if task else \
            self._read(lambda uow: queries.task_place(uow, task_id))
        return changes.changes_since_return((view if task else self.instance(instance_id)).history, bpmn_id)

    # -- admin --------------------------------------------------------------------------
    def verify_audit(self, stream: str | None = None) -> list[auditlog.Problem]:
        """The first altered or missing event of each audit stream; [] when all verify."""
        return self._read(lambda uow: auditlog.verify(uow.session, stream))

    def redact(self, instance_id: str, user: str, texts: list[str]) -> int:
        """Admin: cut `texts` (names, free text) out of everything the instance stores; audited."""
        return self._write(lambda uow: redaction.redact(self.ctx, uow, instance_id, user, texts))

    def suspend(self, instance_id: str, user: str, reason: str = "") -> None:
        self._write(lambda uow: instances.set_status(self.ctx, uow, instance_id, user, Status.SUSPENDED, reason))

    def resume(self, instance_id: str, user: str, reason: str = "") -> None:
        self._write(lambda uow: instances.set_status(self.ctx, uow, instance_id, user, Status.RUNNING, reason))

    def terminate(self, instance_id: str, user: str, reason: str = "") -> None:
        self._write(lambda uow: instances.set_status(self.ctx, uow, instance_id, user, Status.TERMINATED, reason))

    def retry(self, incident_id: int, user: str, data: dict | None = None) -> None:
        """Admin: run the failed step again, with corrected form data if given."""
        def failed_again(exc: ProcessError) -> None:
            self._write(lambda uow: incidents.note_failed_retry(uow, incident_id, exc))
            exc.incident_id = incident_id
        self._write(lambda uow: incidents.retry(self.ctx, uow, incident_id, user, data), on_error=failed_again)
