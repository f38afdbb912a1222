"""How many PostgreSQL connections one process keeps, and how long it waits for them.

Every app process (gunicorn worker) and timer worker has a pool of its own, so the database
sees up to processes × (pool size + overflow) connections: the settings let a deployment keep
that under PostgreSQL's `max_connections` (docs/deploy.md). SQLite needs no pool settings.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Mapping

from ..errors import SettingError


@dataclass(frozen=True)
class PoolSettings:
    size: int = 5               # connections kept open
    max_overflow: int = 10      # more opened under load, closed again when returned
    timeout: float = 30.0       # seconds a request waits for a free connection before failing
    recycle: float = 1800.0     # seconds after which a connection is replaced (-1: never)
    connect_timeout: int = 10   # seconds to reach the server (else a dead host hangs a request)
    ping_after: float = 10.0    # seconds idle in the pool after which a connection is tested (idle_ping.py)

    # variable → (field, smallest allowed value)
    VARIABLES = {"KAMFLOW_DB_POOL_SIZE": ("size", 1), "KAMFLOW_DB_MAX_OVERFLOW": ("max_overflow", 0),
                 "KAMFLOW_DB_POOL_TIMEOUT": ("timeout", 0.1), "KAMFLOW_DB_POOL_RECYCLE": ("recycle", -1),
                 "KAMFLOW_DB_CONNECT_TIMEOUT": ("connect_timeout", 1), "KAMFLOW_DB_PING_AFTER": ("ping_after", 0)}

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "PoolSettings":
        """The defaults above, each replaced by its variable when set; a bad value names its variable."""
        chosen = {}
        for variable, (field, least) in cls.VARIABLES.items():
            raw = env.get(variable, "").strip()
            if not raw:
                continue
            kind = type(getattr(cls, field))
            try:
                value = kind(raw)
            except ValueError:
                value = None
            if value is None or not math.isfinite(value) or value < least:
                raise SettingError(f"{variable} must be a {'whole ' if kind is int else ''}number "
                                   f"of at least {least}, not {raw!r}")
            chosen[field] = value
        return cls(**chosen)

    def engine_arguments(self) -> dict:
        """Keyword arguments for SQLAlchemy's `create_engine` on PostgreSQL (psycopg). No
        `pool_pre_ping`: it costs a round trip at every checkout; idle_ping.py tests only a
        connection that sat idle for `ping_after` seconds."""
        return {"pool_size": self.size, "max_overflow": self.max_overflow,
                "pool_timeout": self.timeout, "pool_recycle": self.recycle,
                "connect_args": {"connect_timeout": self.connect_timeout}}
