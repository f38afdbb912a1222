"""Keyset paging: a page is found by the sort key of the row it starts after, never by OFFSET.

A cursor is an opaque token (URL-safe) that carries the direction and the key of the last
row shown (going forwards) or of the first (going back). Reading the page after it is an
index range scan that starts at the key, so the 500th page costs what the first does. A
token that does not decode to a key of the list's shape is refused naming `$.cursor`.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from ..errors import FieldError, ValidationFailed

BAD_CURSOR = "is not a cursor of this list (follow the list's own next and previous links)"
MAX_TOKEN = 600


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after `key` (forwards) or before it (backwards)."""

    forward: bool
    key: tuple


@dataclass(frozen=True)
class Page:
    """One page of a list, with the cursors of its neighbours (None: there is none)."""

    items: list
    next: str | None
    previous: str | None


def encode(forward: bool, key: Sequence) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    raw = json.dumps(["n" if forward else "p", values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _value(value, kind: type, nullable: bool):
    if value is None and nullable:
        return None
    if kind is datetime and isinstance(value, str):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("naive time")
        return moment
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str) and len(value) <= 200:
        return value
    raise ValueError("wrong kind")


def decode(token: str | None, kinds: Sequence[type], nullable: Sequence[bool] = ()) -> Cursor | None:
    """The cursor in `token` (None: the first page); `kinds` is the key's shape, e.g.
    (datetime, datetime, str), `nullable` which of its parts may be None."""
    if not token:
        return None
    try:
        if len(token) > MAX_TOKEN:
            raise ValueError("too long")
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
        direction, values = raw
        if direction not in ("n", "p") or len(values) != len(kinds):
            raise ValueError("wrong shape")
        flags = list(nullable) + [False] * (len(kinds) - len(nullable))
        key = tuple(_value(v, k, n) for v, k, n in zip(values, kinds, flags))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed([FieldError("$.cursor", BAD_CURSOR)], "The cursor is not valid") from None
    return Cursor(direction == "n", key)


def page_of(rows: list, size: int, cursor: Cursor | None, key_of) -> Page:
    """Cut `rows` (read with `size + 1` rows in the cursor's direction) to a page with its
    neighbours' cursors; `key_of(row)` is a row's sort key. Going back, the rows come in
    reverse order and are turned round here."""
    forward = cursor is None or cursor.forward
    more = len(rows) > size
    rows = rows[:size] if forward else list(reversed(rows[:size]))
    if not rows:
        return Page([], None, None)
    has_next = more if forward else True            # going back, we came from the page after
    has_previous = cursor is not None if forward else more
    return Page(rows, encode(True, key_of(rows[-1])) if has_next else None,
                encode(False, key_of(rows[0])) if has_previous else None)


def short_way_back(cursor: Cursor | None, rows: list, size: int) -> bool:
    """Going back reached the start with less than a page: show the first page instead."""
    return cursor is not None and not cursor.forward and len(rows) < size
