"""Persistence: tables, connections, the unit of work and migrations."""
# every table in Base.metadata, whichever module is imported first
from . import (api_keys, ledger, money, personal, process_catalog, reference_stamps, schema, signin,  # noqa: F401
               tallies, workspace)
