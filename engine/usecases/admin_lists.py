"""The admin's long lists, paged by key, newest first, never loading workflow state: instances
(by last change; a status; a search by name that an index serves) and incidents.

Each page reads one index range from its key (`ix_instances_updated`, `ix_instances_status_updated`,
the incidents' primary key or `ix_incidents_open`) and stops after the page; a search first
narrows by the names' index (engine/db/text_search.py).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, tuple_

from ..db import keyset
from ..db.schema import Definition, Incident, Instance
from ..db.text_search import names_contain
from .admin import require_admin
from .queries import INSTANCE_COLUMNS, check_filters, instance_row

INSTANCE_KEY = (datetime, str)              # last change, id

def _newest_first(statement, key: tuple, cursor: keyset.Cursor | None, size: int):
    """`statement` ordered by `key` descending from the cursor's key (forwards: older rows)."""
    forward = cursor is None or cursor.forward
    if cursor is not None:
        row, at = tuple_(*key), tuple_(*cursor.key)
        statement = statement.where(row < at if forward else row > at)
    return statement.order_by(*(c.desc() if forward else c for c in key)).limit(size + 1)


def _page(uow, statement, key: tuple, cursor, size: int, key_of, shape) -> keyset.Page:
    found = uow.session.execute(_newest_first(statement, key, cursor, size)).all()
    if keyset.short_way_back(cursor, found, size):
        found, cursor = uow.session.execute(_newest_first(statement, key, None, size)).all(), None
    cut = keyset.page_of(found, size, cursor, key_of)
    return keyset.Page([shape(r) for r in cut.items], cut.next, cut.previous)


def instances(uow, admin: str, status: str | None, search: str | None, cursor: str | None,
              size: int) -> keyset.Page:
    """Instances, latest change first; one status; names containing `search`."""
    check_filters(status=status, search=search)
    at = keyset.decode(cursor, INSTANCE_KEY)
    require_admin(uow, admin)
    q = select(*INSTANCE_COLUMNS).join(Definition, Definition.id == Instance.definition_id)
    if status:
        q = q.where(Instance.status == status)
    if search:
        q = q.where(names_contain(uow.session.get_bind().dialect.name, search))
    return _page(uow, q, (Instance.updated_at, Instance.id), at, size, lambda r: (r.updated_at, r.id),
                 instance_row)


def incident_row(i: Incident, name: str) -> dict:
    return {"id": i.id, "instance_id": i.instance_id, "project_name": name, "task_id": i.task_id,
            "element": i.element, "line": i.line, "message": i.message, "actor": i.actor,
            "submitted": dict(i.submitted or {}), "created_at": i.created_at, "resolved_at": i.resolved_at}


def incidents(uow, admin: str, open_only: bool, cursor: str | None, size: int) -> keyset.Page:
    """Incidents, newest first (open ones only: `ix_incidents_open`), with their project's name."""
    at = keyset.decode(cursor, (int,))
    require_admin(uow, admin)
    q = select(Incident, Instance.project_name).join(Instance, Instance.id == Incident.instance_id)
    if open_only:
        q = q.where(Incident.resolved_at.is_(None))
    return _page(uow, q, (Incident.id,), at, size, lambda r: (r[0].id,), lambda r: incident_row(r[0], r[1]))
