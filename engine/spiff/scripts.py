"""The restricted script engine that runs BPMN scripts, conditions and DMN expressions.

Scripts see task data, the engine's directory functions (e.g. `committee_members_for(owner)`)
and the globals spiff-arena gives its scripts, so models written there run unmodified:
`datetime` (the class), `timedelta`, and the modules `time`, `json`, `decimal`, `re`, `uuid`.
`import X` works only for those names, as in spiff-arena.

The modules are handed over as read-only views of their public functions and classes, never
as the modules themselves: `calendar.sys` or `json.codecs` would otherwise lead to `os` and
to files. Dunder names are refused before any code runs, because they are the way from any
object to every class in the interpreter (`().__class__.__base__.__subclasses__()`).
"""
from __future__ import annotations

import ast
import builtins
import datetime as _datetime
import decimal
import json
import re
import time
import types
import uuid
from functools import lru_cache
from typing import Callable

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

_SAFE_NAMES = (
    "abs all any bool callable chr dict divmod enumerate filter float format frozenset hex int "
    "isinstance issubclass iter len list map max min next oct ord pow range repr reversed round set "
    "slice sorted str sum tuple zip True False None "
    "Exception ArithmeticError AssertionError AttributeError IndexError KeyError LookupError "
    "NameError OverflowError RuntimeError StopIteration TypeError ValueError ZeroDivisionError"
).split()
_UNSAFE_MEMBERS = {"time": {"sleep"}}        # a script that sleeps holds a database transaction


class ScriptRefused(Exception):
    """Code uses something the script environment does not offer (a dunder name, an import)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _public_view(module: types.ModuleType) -> types.SimpleNamespace:
    """The module's public functions, classes and constants, without the modules it imports."""
    hidden = _UNSAFE_MEMBERS.get(module.__name__, set())
    members = {name: value for name, value in vars(module).items()
               if not name.startswith("_") and name not in hidden and not isinstance(value, types.ModuleType)}
    return types.SimpleNamespace(**members)


SCRIPT_GLOBALS = {
    "datetime": _datetime.datetime, "timedelta": _datetime.timedelta,
    **{m.__name__: _public_view(m) for m in (time, json, decimal, re, uuid)},
}


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    """`import X` for the names scripts already have; everything else is refused."""
    if level == 0 and name in SCRIPT_GLOBALS:
        return SCRIPT_GLOBALS[name]
    raise ImportError(f"import {name} is not allowed in scripts; they may import "
                      f"{', '.join(sorted(SCRIPT_GLOBALS))}", name=name)


SAFE_BUILTINS = {**{name: getattr(builtins, name) for name in _SAFE_NAMES}, "__import__": _import}


@lru_cache(maxsize=2048)
def check_code(code: str, mode: str = "exec") -> None:
    """Refuse dunder names and imports the environment does not offer; raise SyntaxError as Python does."""
    for node in ast.walk(ast.parse(code, mode=mode)):
        name = (node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name)
                else node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else None)
        if name and name.startswith("__"):
            raise ScriptRefused(f"the name {name} is not allowed in scripts", getattr(node, "lineno", None))
        imported = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or "." * node.level] if isinstance(node, ast.ImportFrom) else [])
        for module in imported:
            if module not in SCRIPT_GLOBALS or getattr(node, "level", 0):
                raise ScriptRefused(f"import {module} is not allowed in scripts; they may import "
                                    f"{', '.join(sorted(SCRIPT_GLOBALS))}", node.lineno)


class _CheckedEnvironment(TaskDataEnvironment):
    """Task data as the scripts' variables, every snippet checked before it runs."""

    def evaluate(self, expression, context, external_context=None):
        check_code(expression, "eval")
        return super().evaluate(expression, context, external_context)

    def execute(self, script, context, external_context=None):
        check_code(script, "exec")
        return super().execute(script, context, external_context)


def make_script_engine(functions: dict[str, Callable]) -> PythonScriptEngine:
    """A script engine whose globals are the safe builtins, spiff-arena's globals and `functions`."""
    env_globals = {"__builtins__": SAFE_BUILTINS, **SCRIPT_GLOBALS, **functions}
    return PythonScriptEngine(environment=_CheckedEnvironment(env_globals))
