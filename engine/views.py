"""What the facade returns: plain dataclasses, never ORM rows or SpiffWorkflow objects."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TaskView:
    id: str
    instance_id: str
    bpmn_id: str
    name: str
    lane: str | None
    form: dict | None
    ui_schema: dict | None
    due: datetime | None
    assignee: str | None
    group: str | None = None
    state: str = "open"
    created: datetime | None = None
    project_name: str = ""
    owner: str = ""
    account_name: str = ""
    kind: str = "user"                             # user (a form) | manual | task (done and confirmed)
    instructions: str | None = None
    values: dict = field(default_factory=dict)     # what the form opens with
    data: dict = field(default_factory=dict)       # the task's process data, which its instructions may use


@dataclass(frozen=True)
class Completion:
    """What completing a task did, as the page that follows tells it: known to the step itself,
    so nothing is read again to say where the work went."""
    task: TaskView                      # the task completed, as it was offered
    following: list[TaskView]           # the user's own open tasks in this instance, oldest first
    opened: list[TaskView]              # the tasks this step opened (for anyone)
    waiting: list[TaskView]             # every open task of the instance the user may not act on
    status: str                         # the instance's, after the step
    outcome: str | None
    names: dict[str, str]               # display names of the assignees of `opened` and `waiting`
    order: tuple[str, ...] = ()         # the process's user tasks in document order


@dataclass(frozen=True)
class HistoryEvent:
    id: int
    at: datetime
    actor: str | None
    kind: str
    task_id: str | None
    bpmn_id: str | None
    task_name: str | None
    data: dict


@dataclass(frozen=True)
class InstanceView:
    id: str
    process_id: str
    version: int
    status: str
    outcome: str | None
    owner: str
    project_name: str
    stage: str
    data: dict
    tasks: list[TaskView]
    history: list[HistoryEvent]
    created_at: datetime
    updated_at: datetime
    next_timer_at: datetime | None
    incidents: list[dict] = field(default_factory=list)
    account_id: str | None = None             # the account a key-account project belongs to
    account_name: str = ""
    process_name: str = ""
    calls: list[dict] = field(default_factory=list)    # each call's chosen version: activity, process_id, version


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    groups: list[str]
    department: str | None
    reports_to: str | None
    email: str | None
    active: bool
    time_zone: str
    locale: str
    notify: bool = True
    delegate: str | None = None
    delegate_from: datetime | None = None
    delegate_until: datetime | None = None


@dataclass(frozen=True)
class GroupView:
    name: str
    description: str
    well_known: bool                          # the engine gives this name a meaning: not renamed or deleted
    members: list[str]


@dataclass(frozen=True)
class StartForm:
    """What a person fills in to start a process: its start form, if it has one."""

    process_id: str
    name: str
    schema: dict | None
    ui_schema: dict | None
    account_field: str | None = None          # a key-account process: the start data field naming the account


@dataclass(frozen=True)
class ProcessInfo:
    """What a UI needs to know about an instance's deployed process version."""

    process_id: str
    version: int
    name: str
    names: dict[str, str]                     # element id -> name, document order
    lanes: dict[str, str]                     # lane id -> name
    forms: dict[str, tuple[dict | None, dict | None]]   # user task id -> (schema, ui schema)
    end_outcomes: dict[str, str]              # end event id -> outcome


@dataclass(frozen=True)
class TokenView:
    """A personal access token as its owner sees it: never the secret, which is shown once."""

    id: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True)
class ProcessView:
    """A deployed process (its latest version) and whether this user may start it."""

    process_id: str
    name: str
    version: int
    startable: bool
    start_form: StartForm | None = None       # filled when one process is asked for
