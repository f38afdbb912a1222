"""The restricted script engine that runs BPMN scripts, conditions and DMN expressions.

Every snippet is compiled by RestrictedPython (`engine.spiff.sandbox`) and runs with guarded
attribute access, iteration and operators bounded by a budget (`engine.spiff.guards`), in
this process: no names starting with `_`, no frames, no `str.format` attribute walks, no
`open`/`eval`/`exec`/`compile`/`getattr`, no unbounded loops, recursion or results.

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
import copy
import datetime as _datetime
import decimal
import importlib
import json
import re
import time
import types
import uuid
from functools import lru_cache
from typing import Callable

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .guards import Budget, Guards, Limits, ScriptLimitExceeded
from .sandbox import AST_LOCK, ScriptRefused, compile_script

_SAFE_NAMES = (
    "abs all any bool callable chr dict divmod enumerate filter float format frozenset hex int "
    "isinstance issubclass iter len list map max min next oct ord pow range repr reversed round set "
    "slice sorted str sum tuple zip True False None "
    "Exception ArithmeticError AssertionError AttributeError IndexError KeyError LookupError "
    "NameError OverflowError RuntimeError StopIteration TypeError ValueError ZeroDivisionError"
).split()
_UNSAFE_MEMBERS = {
    "time": {"sleep",                         # a script that sleeps holds a database transaction
             "clock_settime", "clock_settime_ns", "tzset"},     # the machine's clock and zone are not theirs
    "uuid": {"getnode"},                      # may run `ip`/`ifconfig` to find a MAC address
    # a context is process-wide state, and `prec=10**9` turns one division into minutes of work
    "decimal": {"getcontext", "setcontext", "localcontext", "Context", "DefaultContext", "BasicContext",
                "ExtendedContext"},
}
__all__ = ["ScriptLimitExceeded", "ScriptRefused", "check_code", "make_script_engine", "Limits"]


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


# Imported by the interpreter itself, through the scripts' `__import__`, when an offered function
# runs: `datetime.strptime` and `time.strptime` load `_strptime` on every call. A script cannot
# name them (`check_code` refuses the import statement), and the module never reaches the script.
_INTERNAL_IMPORTS = frozenset({"_strptime"})


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    """`import X` for the names scripts already have; everything else is refused."""
    if level == 0 and name in SCRIPT_GLOBALS:
        return SCRIPT_GLOBALS[name]
    if level == 0 and name in _INTERNAL_IMPORTS:
        return importlib.import_module(name)
    raise ImportError(f"import {name} is not allowed in scripts; they may import "
                      f"{', '.join(sorted(SCRIPT_GLOBALS))}", name=name)


SAFE_BUILTINS = {**{name: getattr(builtins, name) for name in _SAFE_NAMES}, "__import__": _import}


@lru_cache(maxsize=2048)
def check_code(code: str, mode: str = "exec"):
    """The restricted code of a snippet; refuse dunder names, imports the environment does not offer
    and whatever RestrictedPython's policy refuses; raise SyntaxError as Python does."""
    with AST_LOCK:                         # see sandbox.AST_LOCK
        tree = ast.parse(code, mode=mode)
    for node in ast.walk(tree):
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
    return compile_script(code, mode)


class _RestrictedEnvironment(TaskDataEnvironment):
    """Task data as the scripts' variables; every snippet restricted, with its own budget."""

    def __init__(self, environment_globals: dict, limits: Limits):
        super().__init__(environment_globals)
        self.limits = limits

    def _run_globals(self) -> tuple[dict, Budget]:
        guards = Guards(Budget(self.limits))
        run_globals = copy.copy(self.globals)
        run_globals["__builtins__"] = {**SAFE_BUILTINS, **guards.builtins()}
        run_globals.update(guards.names())
        return run_globals, guards.budget

    def evaluate(self, expression, context, external_context=None):
        code = check_code(expression, "eval")
        run_globals, budget = self._run_globals()
        names = {**(external_context or {}), **context, **run_globals}   # guards win over task data
        result = eval(code, names)  # nosec B307 - RestrictedPython code, guarded names only
        budget.raise_if_exceeded()
        return result

    def execute(self, script, context, external_context=None):
        code = check_code(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        run_globals, budget = self._run_globals()
        context.update(external_context or {})
        context.update(run_globals)
        try:
            exec(code, context)  # nosec B102 - RestrictedPython code, guarded names only
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
            for name in run_globals:
                context.pop(name, None)
        budget.raise_if_exceeded()
        return True


def make_script_engine(functions: dict[str, Callable], limits: Limits = Limits()) -> PythonScriptEngine:
    """A script engine whose globals are the safe builtins, spiff-arena's globals and `functions`."""
    env_globals = {**SCRIPT_GLOBALS, **functions}
    return PythonScriptEngine(environment=_RestrictedEnvironment(env_globals, limits))
