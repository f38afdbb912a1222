"""The indexes the long lists read (the inbox, the admin's lists), kept apart from the tables.

Each list reads one index in its own order from a page's key and stops after the page
(engine/usecases/inbox.py, engine/db/keyset.py), so these indexes end in the lists' sort keys.
PostgreSQL keeps an index's order only after equalities on the columns before (`x IS NULL`
is none), so a missing due date sorts as a far date, in the index and in the query alike,
and the group index holds unclaimed tasks only. Migrations 0017, 0019 and 0021 create these.
"""
from __future__ import annotations

from sqlalchemy import Index, literal_column, text

from .schema import Incident, Instance, Notification, Task

# The inbox's order: due date (none last), creation, id; then what its counts per step read.
DUE_ORDER = "coalesce(due_at, '9999-12-31 23:59:59.999999')"
INBOX_KEY = (text(DUE_ORDER), "created_at", "id", "bpmn_id", "excluded_user", "instance_id")
UNCLAIMED = text("assignee IS NULL")
HELD = text("status IN ('suspended', 'error')")         # instances whose open tasks wait
OPEN = text("resolved_at IS NULL")

Index("ix_tasks_open_assignee", Task.state, Task.assignee, *INBOX_KEY)
Index("ix_tasks_open_group", Task.state, Task.candidate_group, *INBOX_KEY, sqlite_where=UNCLAIMED,
      postgresql_where=UNCLAIMED)
Index("ix_instances_held", Instance.id, sqlite_where=HELD, postgresql_where=HELD)

# The admin's lists, newest first: instances by last change (and status), incidents (open ones
# apart), the outbox by status. Search by name (engine/db/text_search.py) has its own: trigram
# GIN indexes on PostgreSQL, an FTS5 table on SQLite, which migration 0019 makes as SQL.
Index("ix_instances_updated", Instance.updated_at, Instance.id)
Index("ix_instances_status_updated", Instance.status, Instance.updated_at, Instance.id)
Index("ix_incidents_open", Incident.id, sqlite_where=OPEN, postgresql_where=OPEN)

# A group's claimed open tasks, counted (with its unclaimed ones) before a group is deleted
# (migration 0021): holding claimed tasks only, it is none the inbox could take for its own.
CLAIMED = text("state = 'open' AND assignee IS NOT NULL")
Index("ix_tasks_claimed_by_group", Task.candidate_group, sqlite_where=CLAIMED, postgresql_where=CLAIMED)
# A task's state written into a statement, not bound: SQLite plans a bound state against the
# partial index above, so every new value expires the statement and each run compiles it anew
# (tests/sqlite_prepares.py counts it).
OPEN_TASK = Task.state == literal_column("'open'")
COMPLETED_TASK = Task.state == literal_column("'completed'")
Index("ix_notifications_status_id", Notification.status, Notification.id)
