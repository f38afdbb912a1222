"""KAM Flow's workflow engine: runs and persists BPMN processes. Never imports Flask."""
from .errors import (Busy, Conflict, DeployError, EngineError, FieldError, NotAllowed, NotFound, ProcessError,
                     TooManyAttempts, ValidationFailed)
from .facade import Engine

__all__ = ["Engine", "EngineError", "Busy", "ValidationFailed", "FieldError", "NotAllowed", "NotFound", "Conflict",
           "ProcessError", "DeployError", "TooManyAttempts"]
