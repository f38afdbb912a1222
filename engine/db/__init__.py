"""Persistence: tables, connections, the unit of work and migrations."""
from . import api_keys, schema, workspace  # noqa: F401  (every table in Base.metadata, whichever is imported first)
