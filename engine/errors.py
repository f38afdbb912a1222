"""One error chain for everything the engine refuses or fails at.

The web UI maps each class to one HTTP status in one handler; the CLI prints them.
"""
from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One failing field: `path` is a JSON path such as `$.customer.criteria.sales_volume`."""

    path: str
    message: str

    @property
    def field(self) -> str:
        """The dotted field name without the `$.` root, e.g. `customer.name`."""
        return self.path[2:] if self.path.startswith("$.") else self.path.lstrip("$")


class ValidationFailed(EngineError):
    """Submitted data failed the task's form schema; nothing was saved."""

    def __init__(self, errors: list[FieldError], message: str = "The form has errors"):
        self.errors = list(errors)
        detail = "; ".join(f"{e.path}: {e.message}" for e in self.errors)
        super().__init__(f"{message}: {detail}" if detail else message)


class NotAllowed(EngineError):
    """The user may not do this to this object; nothing was saved."""


class NotFound(EngineError):
    """No such task, instance, user or process."""


class Conflict(EngineError):
    """The task was completed or changed by someone else; nothing was saved."""


class Busy(Conflict):
    """The database kept asking to try again (deadlocks, lock time-outs); nothing was saved.

    Raised only after the engine retried by itself; sending the same input again is safe.
    """


class TooManyAttempts(EngineError):
    """Too many failed sign-ins for this account or address lately; `retry_at` says when to try again."""

    def __init__(self, retry_at):
        self.retry_at = retry_at
        super().__init__(f"too many failed sign-ins; try again after {retry_at.isoformat(timespec='minutes')}")


class DeployError(EngineError):
    """A BPMN/DMN/form file does not parse or validate; nothing was deployed."""

    def __init__(self, message: str, file: str = "", line: int | str = "", element: str = ""):
        self.file, self.line, self.element = file, line, element
        where = ", ".join(p for p in (file, f"line {line}" if line else "", element and f"element {element}") if p)
        super().__init__(f"{where}: {message}" if where else message)


class SettingError(EngineError):
    """A setting from the environment cannot be used; the message names the variable."""


class ProcessError(EngineError):
    """A script, gateway or DMN failed at run time; the stored instance is unchanged.

    An incident row records it so an admin can fix the data and retry.
    """

    def __init__(self, message: str, element: str = "", line: int | str = "", incident_id: int | None = None):
        self.element, self.line, self.incident_id = element, line, incident_id
        where = f"{element}" + (f" line {line}" if line else "")
        super().__init__(f"{where}: {message}" if where else message)
