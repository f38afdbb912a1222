"""The restricted script engine that runs BPMN scripts, conditions and DMN expressions.

Scripts see task data, a small set of safe builtins (no imports, no file or network
access) and the engine's directory functions, e.g. `committee_members_for(owner)`.
"""
from __future__ import annotations

import builtins
from typing import Callable

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

_SAFE_NAMES = (
    "abs all any bool dict enumerate filter float int isinstance len list map max min "
    "range reversed round set sorted str sum tuple zip True False None "
    "Exception KeyError NameError ValueError TypeError IndexError"
).split()
SAFE_BUILTINS = {name: getattr(builtins, name) for name in _SAFE_NAMES}


def make_script_engine(functions: dict[str, Callable]) -> PythonScriptEngine:
    """A script engine whose globals are the safe builtins plus `functions`."""
    env_globals = {"__builtins__": SAFE_BUILTINS, **functions}
    return PythonScriptEngine(environment=TaskDataEnvironment(env_globals))
