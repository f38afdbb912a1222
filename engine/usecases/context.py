"""What every use case needs besides its arguments: sessions, parsed models, kept answers, a clock."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy.orm import sessionmaker

from ..catalog import ModelCache
from ..db.uow import UnitOfWork
from ..reference_cache import ReferenceCache
from .runtimes import RuntimeCache


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Context:
    sessions: sessionmaker
    models: ModelCache = field(default_factory=ModelCache)
    runtimes: RuntimeCache = field(default_factory=RuntimeCache)
    reference: ReferenceCache = field(default_factory=ReferenceCache)     # the people and rates, while unchanged
    clock: Callable[[], datetime] = _utcnow

    def uow(self, read_only: bool = False, optimistic: bool = False, one_statement: bool = False) -> UnitOfWork:
        return UnitOfWork(self.sessions, read_only=read_only, optimistic=optimistic, one_statement=one_statement)
