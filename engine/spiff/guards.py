"""The run-time guards restricted scripts call instead of plain attribute access, iteration and operators.

Three bounds hold for one snippet (a script, a condition, a DMN expression):
- **Steps**: every loop iteration, comprehension item and call of a function the script defines takes
  a step; at `max_steps` or `max_seconds` the script stops with `ScriptLimitExceeded` (raised again
  at every later step and once more after the script, so catching it does not help).
- **Size per operation**: `*`, `**`, `<<`, `%`, `range`, `str.format`, padding, `replace` and `join`
  refuse results above `max_items` items (characters) or `MAX_INT_BITS` bits, before building them.
- **Memory**: every `MEMORY_CHECK_EVERY` steps the process's peak resident size is compared with its
  peak when the script began; a script that grows it by more than `max_memory_mb` is stopped.
"""
from __future__ import annotations

import operator
import re
import resource
import string
import time
from _string import formatter_field_name_split
from dataclasses import dataclass

from RestrictedPython.transformer import INSPECT_ATTRIBUTES

MAX_FORMAT_WIDTH = 10_000
MAX_INT_BITS = 65_536
MEMORY_CHECK_EVERY = 16
_NUMBERS = re.compile(r"\d+")
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?")
_DENIED_ATTRIBUTES = INSPECT_ATTRIBUTES | {"mro", "ag_frame", "ag_code", "ag_await", "gi_yieldfrom"}
_PADDING = {"ljust", "rjust", "center", "zfill", "expandtabs"}
_SIZED_STR_METHODS = _PADDING | {"replace", "join", "format", "format_map"}
_INPLACE = {"+=": operator.add, "-=": operator.sub, "*=": operator.mul, "/=": operator.truediv,
            "//=": operator.floordiv, "%=": operator.mod, "**=": operator.pow, "<<=": operator.lshift,
            ">>=": operator.rshift, "&=": operator.and_, "|=": operator.or_, "^=": operator.xor,
            "@=": operator.matmul}
_BINARY = {"*": operator.mul, "**": operator.pow, "<<": operator.lshift, "%": operator.mod}


class ScriptLimitExceeded(Exception):
    """A script went past one of its bounds (steps, time, size of one result, memory)."""


@dataclass(frozen=True)
class Limits:
    max_steps: int = 1_000_000
    max_seconds: float = 5.0
    max_items: int = 1_000_000
    max_memory_mb: int = 256


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Budget:
    """One snippet's allowance of steps, time and memory growth."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = limits.max_steps
        self.deadline = time.monotonic() + limits.max_seconds
        self.peak_allowed = _peak_kib() + limits.max_memory_mb * 1024
        self.exceeded: str | None = None

    def _stop(self, why: str):
        self.exceeded = self.exceeded or why
        raise ScriptLimitExceeded(self.exceeded)

    def tick(self) -> None:
        if self.exceeded:
            raise ScriptLimitExceeded(self.exceeded)
        self.steps -= 1
        if self.steps < 0:
            self._stop(f"the script took more than {self.limits.max_steps:,} loop steps or calls")
        if self.steps % MEMORY_CHECK_EVERY == 0:
            self.check_time_and_memory()

    def check_time_and_memory(self) -> None:
        if time.monotonic() > self.deadline:
            self._stop(f"the script ran longer than {self.limits.max_seconds:g} seconds")
        if _peak_kib() > self.peak_allowed:
            self._stop(f"the script used more than {self.limits.max_memory_mb} MB of memory")

    def raise_if_exceeded(self) -> None:
        """A script that caught `ScriptLimitExceeded` still fails once it ends."""
        if self.exceeded:
            raise ScriptLimitExceeded(self.exceeded)

    def iterate(self, iterable):
        for item in iterable:
            self.tick()
            yield item

    def check_size(self, size: int, what: str) -> None:
        if size > self.limits.max_items:
            self._stop(f"{what} would have {size:,} items; scripts may build at most {self.limits.max_items:,}")


def _refuse(name) -> None:
    raise AttributeError(f"the attribute {name} is not allowed in scripts")


class Guards:
    """The functions RestrictedPython's rewritten code calls, bound to one budget."""

    def __init__(self, budget: Budget):
        self.budget = budget

    def names(self) -> dict:
        return {"_getattr_": self.getattr, "_getitem_": operator.getitem, "_getiter_": self.budget.iterate,
                "_iter_unpack_sequence_": _iter_unpack, "_unpack_sequence_": _unpack,
                "_write_": _write, "_apply_": _apply, "_inplacevar_": self.inplace, "_binop_": self.binop,
                "_tick_": self.budget.tick, "_print_": _NoPrint}

    def builtins(self) -> dict:
        return {"range": self.range, "pow": self.pow, "iter": self.iter, "format": self.format_value}

    def getattr(self, obj, name):
        if not isinstance(name, str) or name.startswith("_") or name in _DENIED_ATTRIBUTES:
            _refuse(name)
        if isinstance(obj, type) and issubclass(obj, str) and name in _SIZED_STR_METHODS:
            _refuse(f"str.{name} (call it on a string: 'text'.{name}(...))")
        if isinstance(obj, str):
            if name == "format":
                return lambda *args, **kwargs: self.formatter().vformat(obj, args, kwargs)
            if name == "format_map":
                return lambda mapping: self.formatter().vformat(obj, (), mapping)
            if name in _SIZED_STR_METHODS:
                return self._sized_str_method(obj, name)
        if name == "strftime":      # a date's `strftime(template)` or the time module's `strftime(template, when)`
            method = getattr(obj, name)
            return lambda template, *when: _check_percent_widths(template) or method(template, *when)
        return getattr(obj, name)

    def _sized_str_method(self, text: str, name: str):
        method = getattr(text, name)

        def sized(*args):
            if name in _PADDING and args and isinstance(args[0], int):
                width = args[0] * (len(text) if name == "expandtabs" else 1)
                self.budget.check_size(width, f"str.{name}")
            elif name == "replace" and len(args) >= 2:
                count = text.count(args[0]) if args[0] else len(text) + 1
                self.budget.check_size(len(text) + count * len(args[1]), "str.replace")
            elif name == "join" and args:
                parts = list(self.budget.iterate(args[0]))
                self.budget.check_size(sum(len(p) for p in parts if isinstance(p, str))
                                       + len(text) * len(parts), "str.join")
                return method(parts)
            return method(*args)
        return sized

    def formatter(self) -> string.Formatter:
        return _GuardedFormatter(self)

    def format_value(self, value, spec: str = ""):
        _check_width(spec)
        return format(value, spec)

    def binop(self, symbol: str, left, right):
        self._check_operation(symbol, left, right)
        return _BINARY[symbol](left, right)

    def inplace(self, symbol: str, left, right):
        self._check_operation(symbol[:-1], left, right)
        return _INPLACE[symbol](left, right)

    def _check_operation(self, symbol: str, left, right) -> None:
        sized = (str, bytes, list, tuple)
        if symbol == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, sized) and isinstance(times, int):
                    self.budget.check_size(len(seq) * times, "a repeated sequence")
        elif symbol in ("**", "<<") and isinstance(left, int) and isinstance(right, int) and right > 0:
            bits = left.bit_length() * right if symbol == "**" else left.bit_length() + right
            if (abs(left) > 1 or (symbol == "<<" and left)) and bits > MAX_INT_BITS:
                self.budget._stop(f"a number with about {bits:,} bits; scripts may build at most {MAX_INT_BITS:,}")
        elif symbol == "%" and isinstance(left, str):
            _check_percent_widths(left)

    def range(self, *args):
        span = range(*args)
        self.budget.check_size(len(span), "range")
        return span

    def pow(self, base, exp, mod=None):
        if mod is None:
            self._check_operation("**", base, exp)
        return pow(base, exp, mod)

    def iter(self, *args):
        return self.budget.iterate(iter(*args))


def _check_width(spec: str) -> None:
    """A format specification's width and precision are bounded (`{:>999999999}` is one huge string)."""
    if any(int(number) > MAX_FORMAT_WIDTH for number in _NUMBERS.findall(spec)):
        raise ScriptLimitExceeded(f"format widths above {MAX_FORMAT_WIDTH} are not allowed in scripts")


def _check_percent_widths(template: str) -> None:
    for width, precision in _PERCENT_FIELD.findall(template):
        if "*" in (width, precision):
            raise ScriptLimitExceeded("widths given as * are not allowed in scripts")
        _check_width(f"{width} {precision}")


class _GuardedFormatter(string.Formatter):
    """`str.format` whose fields go through the attribute guard and whose widths are bounded."""

    def __init__(self, guards: Guards):
        self.guards = guards

    def get_field(self, field_name, args, kwargs):
        first, rest = formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attribute, key in rest:
            obj = self.guards.getattr(obj, key) if is_attribute else obj[key]
        return obj, first

    def format_field(self, value, format_spec):
        _check_width(format_spec)
        return format(value, format_spec)


class _NoPrint:
    """`print` in a script writes nowhere (a web server has no console to show it on)."""

    def __init__(self, _getattr=None):
        pass

    def _call_print(self, *args, **kwargs):
        return None

    def __call__(self):
        return ""


def _write(obj):
    if type(obj) in (dict, list):
        return obj
    raise TypeError(f"scripts may change dicts and lists only, not {type(obj).__name__}")


def _apply(function, *args, **kwargs):
    return function(*args, **kwargs)


def _unpack(it, spec, getiter):
    values = list(getiter(it))
    if len(values) >= spec["min_len"]:
        for index, child in spec["childs"]:
            values[index] = _unpack(values[index], child, getiter)
    return values


def _iter_unpack(it, spec, getiter):
    for item in getiter(it):
        yield _unpack(item, spec, getiter)
