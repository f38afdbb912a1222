"""The tables. Alembic migrations in `engine/migrations` create exactly these.

One row per instance holds the workflow state (a JSON document) with a `version` for
optimistic locking; the inbox reads only `tasks`; `audit_events` is append-only history.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .utc_time import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str | None] = mapped_column(String(100), index=True)
    reports_to: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Taipei")
    locale: Mapped[str] = mapped_column(String(16), default="zh_Hant")
    notify: Mapped[bool] = mapped_column(Boolean, default=True)
    delegate: Mapped[str | None] = mapped_column(String(64))          # out-of-office stand-in
    delegate_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delegate_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Group(Base):
    """People a lane (or an escalation) reaches. A few names mean something to the engine
    (`admin`, `manager`, ...: see `engine.directory.WELL_KNOWN`); admins manage the rest."""

    __tablename__ = "groups"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupMember(Base):
    __tablename__ = "group_members"
    group_name: Mapped[str] = mapped_column(ForeignKey("groups.name", ondelete="CASCADE", onupdate="CASCADE"),
                                            primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username", ondelete="CASCADE"), primary_key=True,
                                          index=True)


class Definition(Base):
    """One deployed version of one process: the files it was parsed from."""

    __tablename__ = "definitions"
    __table_args__ = (UniqueConstraint("process_id", "version"), UniqueConstraint("process_id", "content_hash"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300), default="")
    main_file: Mapped[str] = mapped_column(String(300))
    files: Mapped[dict] = mapped_column(JSON)
    deployed_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Instance(Base):
    __tablename__ = "instances"
    __table_args__ = (Index("ix_instances_timer", "status", "next_timer_at", "id"),
                      Index("ix_instances_number", "process_id", "number", unique=True),
                      # covering: SQLite reads these from the index, never past the 25 KB workflow (0018)
                      Index("ix_instances_report", "status", "process_id", "owner", "account_id", "created_at",
                            "stage", "deal_size", "deal_currency", "id"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(String(64))                    # indexed with process and id (0037)
    number: Mapped[int | None] = mapped_column(Integer)              # per process: 1, 2, 3, ...
    project_name: Mapped[str] = mapped_column(String(300), default="")   # the display name
    account_name: Mapped[str] = mapped_column(String(300), default="")
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))   # a key-account project's (0026, 0037)
    stage: Mapped[str] = mapped_column(String(300), default="")
    # a key-account project's deal size in the base currency: the voting rule's, else the latest budget's
    deal_size: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    deal_currency: Mapped[str | None] = mapped_column(String(3))
    workflow: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the version each call activity's called process runs, chosen when the call started:
    # {call task id: {"definition": id, "process_id": ..., "version": n, "activity": bpmn id}}
    called: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The ORM adds `WHERE version = N` to every UPDATE and raises StaleDataError when
    # someone else saved first: optimistic locking without hand-written SQL.
    __mapper_args__ = {"version_id_col": version}


class Task(Base):
    """The task projection: one row per activation of a user task (public id is ours)."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_instance", "instance_id", "state"),
                      Index("ix_tasks_report", "bpmn_id", "state", "closed_at"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id", ondelete="CASCADE"))
    spiff_task_id: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    lane: Mapped[str | None] = mapped_column(String(200))
    # the called process version the task belongs to; None: the instance's own definition
    definition_id: Mapped[int | None] = mapped_column(ForeignKey("definitions.id"))
    form_file: Mapped[str | None] = mapped_column(String(300))
    ui_file: Mapped[str | None] = mapped_column(String(300))
    assignee: Mapped[str | None] = mapped_column(String(64))
    candidate_group: Mapped[str | None] = mapped_column(String(200))
    excluded_user: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))      # open | completed | cancelled | rewound
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    decision: Mapped[str | None] = mapped_column(String(64))    # a review's answer (usecases/decisions.py)
    reason_code: Mapped[str | None] = mapped_column(String(200))
    first_decision: Mapped[bool | None] = mapped_column(Boolean)    # the project's first at this step
    duration_us: Mapped[int | None] = mapped_column(BigInteger)      # completed: closed - opened, µs (0023)


class ProcessSequence(Base):
    """The last instance number handed out per process; a start increments it in its transaction."""

    __tablename__ = "process_sequences"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class TaskCandidate(Base):
    """A task offered to a list of people (spiff-arena's `lane_owners`) rather than to one group."""

    __tablename__ = "task_candidates"
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class AuditEvent(Base):
    """Append-only, hash-chained history (see docs/audit.md); the database refuses changes.

    Only `engine.auditlog` writes it. What may be personal lives in `AuditPayload`, apart,
    so that it can be erased while the chain still verifies."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("stream", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stream: Mapped[str] = mapped_column(String(100))
    seq: Mapped[int] = mapped_column(Integer)
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    task_id: Mapped[str | None] = mapped_column(String(36))
    bpmn_id: Mapped[str | None] = mapped_column(String(200))
    task_name: Mapped[str | None] = mapped_column(String(300))
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    payload_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditPayload(Base):
    """An event's possibly personal data; `data` is None once erased by event `erased_by`."""

    __tablename__ = "audit_payloads"
    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), primary_key=True)
    data: Mapped[dict | None] = mapped_column(JSON)
    erased_by: Mapped[int | None] = mapped_column(Integer)


INSTANCE_STREAM = "instance:"       # an instance's stream is named so, then its id (engine.auditlog)


class AuditHead(Base):
    """The last event of each stream, so appends read one row and a cut tail shows."""

    __tablename__ = "audit_heads"
    stream: Mapped[str] = mapped_column(String(100), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class Incident(Base):
    """A process error an admin must look at; the instance state was left unchanged."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instance_id: Mapped[str] = mapped_column(String(36), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    element: Mapped[str] = mapped_column(String(200), default="")
    line: Mapped[str] = mapped_column(String(16), default="")
    message: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(64))
    submitted: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(64))


class Notification(Base):
    """An outbox row: the facts of one message to one person, and how its delivery went.

    No finished text is stored. The mail module words the message when it is sent (or shown),
    in the language the recipient had when it was queued, so no project name can overflow a
    column or break a header. `status` is pending -> sent | failed | skipped.
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_queue", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)           # the recipient
    kind: Mapped[str] = mapped_column(String(32))
    instance_id: Mapped[str | None] = mapped_column(String(36))
    task_id: Mapped[str | None] = mapped_column(String(36))
    actor: Mapped[str | None] = mapped_column(String(64))                   # whose action caused it
    locale: Mapped[str] = mapped_column(String(16), default="zh_Hant")
    facts: Mapped[dict] = mapped_column(JSON, default=dict)                 # e.g. decisions, outcome
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuthSession(Base):
    """A server-side login session; the browser holds only a random token's id."""

    __tablename__ = "auth_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Draft(Base):
    """Unfinished form values a user saved on a task."""

    __tablename__ = "drafts"
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attachment(Base):
    """A file attached to a project (and optionally the task it was added on)."""

    __tablename__ = "attachments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# the indexes the lists and reports read, and the cycle-time report's kept summaries
from . import cycle_summaries, list_indexes, report_indexes  # noqa: E402,F401
