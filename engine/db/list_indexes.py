"""The indexes the long lists read (the inbox, the admin's lists), kept apart from the tables.

Each list reads one index in its own order from a page's key and stops after the page
(engine/usecases/inbox.py, engine/db/keyset.py), so these indexes end in the lists' sort keys.
PostgreSQL keeps an index's order only after equalities on the columns before (`x IS NULL`
is none), so a missing due date sorts as a far date, in the index and in the query alike,
and the group index holds unclaimed tasks only. Migration 0017 creates exactly these.
"""
from __future__ import annotations

from sqlalchemy import Index, text

from .schema import Instance, Task

# The inbox's order: due date (none last), creation, id; then what its counts per step read.
DUE_ORDER = "coalesce(due_at, '9999-12-31 23:59:59.999999')"
INBOX_KEY = (text(DUE_ORDER), "created_at", "id", "bpmn_id", "excluded_user", "instance_id")
UNCLAIMED = text("assignee IS NULL")
HELD = text("status IN ('suspended', 'error')")         # instances whose open tasks wait

Index("ix_tasks_open_assignee", Task.state, Task.assignee, *INBOX_KEY)
Index("ix_tasks_open_group", Task.state, Task.candidate_group, *INBOX_KEY, sqlite_where=UNCLAIMED,
      postgresql_where=UNCLAIMED)
Index("ix_instances_held", Instance.id, sqlite_where=HELD, postgresql_where=HELD)
