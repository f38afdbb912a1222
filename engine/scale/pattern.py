"""A template row turned into a pattern: its constant parts, and slots for what each copy changes.

A slot is a token (a stand-in value the template used: the owner, the project's name, an id),
or a time. Times come in two kinds: the engine's clock (each action's own hour, found by
equality) and the wall clock SpiffWorkflow reads itself (timer due times, task change stamps),
found by the real time window of the action that ran them, possibly plus a timer's duration.
A copy gives each action its own time; a time slot becomes that time plus the slot's offset.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

DURATIONS = (0.0, 3 * 86_400.0, 7 * 86_400.0)      # a stamp, the reminder, the escalation (P3D, P7D)
_ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00"
_EPOCH = r"(?<=\"last_state_change\":)\d+\.\d+"


@dataclass(frozen=True)
class Actions:
    """The template's actions: the engine's time of each, and the real time each began."""

    fake: list[datetime]
    real: list[float]                # one more than the actions: the last closes the window

    def by_fake(self, at: datetime) -> int | None:
        try:
            return self.fake.index(at)
        except ValueError:
            return None

    def by_real(self, stamp: float) -> tuple[int, float] | None:
        """(action, seconds after it began) for a wall-clock stamp, trying each timer duration."""
        for duration in DURATIONS:
            at = stamp - duration
            i = bisect.bisect_right(self.real, at) - 1
            if 0 <= i < len(self.real) - 1:
                return i, duration + (at - self.real[i])
        return None

    def time_slot(self, at: datetime) -> tuple[int, float] | None:
        i = self.by_fake(at)
        return (i, 0.0) if i is not None else self.by_real(at.timestamp())


class Text:
    """A string with slots; `render(values, times)` fills them."""

    def __init__(self, parts: list):
        self.parts = parts         # str | ("tok", key) | ("iso", action, offset) | ("epoch", action, offset)

    def render(self, values: dict[str, str], times: list[datetime]) -> str:
        out = []
        for p in self.parts:
            if type(p) is str:
                out.append(p)
            elif p[0] == "tok":
                out.append(values[p[1]])
            elif p[0] == "iso":
                out.append((times[p[1]] + timedelta(seconds=p[2])).isoformat(timespec="microseconds"))
            else:
                out.append(repr(times[p[1]].timestamp() + p[2]))
        return "".join(out)


def compile_text(text: str, tokens: dict[str, str], actions: Actions, with_times: bool) -> Text | str:
    """`text` as a pattern (or itself when nothing in it changes between copies)."""
    alternatives = [re.escape(t) for t in sorted(tokens, key=len, reverse=True)]
    if with_times:
        alternatives += [f"(?P<iso>{_ISO})", f"(?P<epoch>{_EPOCH})"]
    parts, last = [], 0
    for m in re.finditer("|".join(alternatives), text):
        slot = None
        if m.lastgroup == "iso":
            found = actions.time_slot(datetime.fromisoformat(m.group()))
            slot = ("iso", *found) if found else None
        elif m.lastgroup == "epoch":
            found = actions.by_real(float(m.group()))
            slot = ("epoch", *found) if found else None
        else:
            slot = ("tok", tokens[m.group()])
        if slot is None:
            continue
        parts.append(text[last:m.start()])
        parts.append(slot)
        last = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return Text([p for p in parts if p != ""])


@dataclass(frozen=True)
class Time:
    action: int
    offset: float

    def render(self, times: list[datetime]) -> datetime:
        return times[self.action] + timedelta(seconds=self.offset)


class Row:
    """A template row: constant columns, and the columns each copy renders."""

    def __init__(self, row: dict, tokens: dict[str, str], actions: Actions, skip: tuple[str, ...] = ()):
        self.const, self.text, self.json, self.times = {}, {}, {}, {}
        for column, value in row.items():
            if column in skip:
                continue
            if isinstance(value, datetime):
                found = actions.time_slot(value)
                if found:
                    self.times[column] = Time(*found)
                else:
                    self.const[column] = value
            elif isinstance(value, str):
                pattern = compile_text(value, tokens, actions, with_times=column == "workflow")
                (self.text if isinstance(pattern, Text) else self.const)[column] = pattern
            elif isinstance(value, (dict, list)):
                pattern = compile_text(json.dumps(value, ensure_ascii=False), tokens, actions, with_times=False)
                (self.json if isinstance(pattern, Text) else self.const)[column] = (
                    pattern if isinstance(pattern, Text) else value)
            else:
                self.const[column] = value

    def render(self, raw: dict[str, str], escaped: dict[str, str], times: list[datetime]) -> dict:
        out = dict(self.const)
        for column, pattern in self.text.items():
            out[column] = pattern.render(escaped if column == "workflow" else raw, times)
        for column, pattern in self.json.items():
            out[column] = json.loads(pattern.render(escaped, times))
        for column, slot in self.times.items():
            out[column] = slot.render(times)
        return out


def escape(value: str) -> str:
    """`value` as it appears inside a JSON string (the stored workflow keeps non-ASCII as is)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


UTC = timezone.utc
