"""The engine's database session: a lookup by a key no row can have finds nothing.

Keys come from URLs and forms. PostgreSQL answers a text key holding NUL with an error
rather than "no such row" (SQLite simply finds none), so such keys, and keys longer than
their column, never reach the database: every `session.get` answers None for them, on
both databases, wherever the key came from.
"""
from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from ..text import could_be_key


def _possible(entity, ident) -> bool:
    columns = inspect(entity).primary_key
    if isinstance(ident, dict):
        values = [ident.get(c.key) for c in columns]
    else:
        values = list(ident) if isinstance(ident, tuple) else [ident]
    return all(could_be_key(value, getattr(column.type, "length", None) or len(value))
               for column, value in zip(columns, values) if isinstance(value, str))


class EngineSession(Session):
    def get(self, entity, ident, **kwargs):
        if not _possible(entity, ident):
            return None
        return super().get(entity, ident, **kwargs)
