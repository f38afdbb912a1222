"""Which processes are deployed (their latest versions), and which of them a user may start.

An active user may start a process the catalog lets them start (`instances.start` checks the
same); a process whose start event sits in a lane also asks for that lane's group, so the
"new project" link is offered only to those the process itself expects to start it.
"""
from __future__ import annotations

import copy

from sqlalchemy import func, select

from ..catalog import latest_definition
from ..db.schema import Definition
from ..errors import NotAllowed
from ..views import ProcessView, StartForm
from . import process_catalog


def may_start(ctx, uow, process_id: str, username: str) -> bool:
    """Whether `username` may start `process_id`: the catalog allows it and they are in the start lane's group."""
    person = uow.directory.find(username)
    try:
        process_catalog.check_may_start(uow.session, person, process_id)
    except NotAllowed:
        return False
    model = ctx.models.get(latest_definition(uow.session, process_id))
    groups = [uow.directory.group_for_lane(lane, model.lane_names.get(lane or "")) for lane in model.start_lanes]
    return person.is_admin or any(g is None or g in person.groups for g in groups)


def deployed(ctx, uow, username: str) -> list[ProcessView]:
    newest = (select(Definition.process_id, func.max(Definition.version).label("v"))
              .group_by(Definition.process_id).subquery())
    rows = uow.session.execute(select(Definition.process_id, Definition.name, Definition.version)
                               .join(newest, (Definition.process_id == newest.c.process_id)
                                     & (Definition.version == newest.c.v))
                               .order_by(Definition.process_id)).all()
    return [ProcessView(pid, name or pid, version, may_start(ctx, uow, pid, username)) for pid, name, version in rows]


def start_form(ctx, uow, process_id: str) -> StartForm:
    """What the latest version of `process_id` asks for at start (schema None: nothing)."""
    model = ctx.models.get(latest_definition(uow.session, process_id))
    schema, ui = model.start_form
    return StartForm(process_id, model.name, copy.deepcopy(model.form(schema)), copy.deepcopy(model.form(ui)),
                     model.account_field)


def one(ctx, uow, process_id: str, username: str) -> ProcessView:
    """One deployed process with the start form of its latest version."""
    definition = latest_definition(uow.session, process_id)
    return ProcessView(process_id, definition.name or process_id, definition.version, may_start(ctx, uow, process_id, username),
                       start_form(ctx, uow, process_id))


class Deployed:
    """`Engine.deployed`: the deployed processes as a user sees them; each call one unit of work."""

    def __init__(self, eng):
        self._eng = eng

    def list(self, user: str) -> list[ProcessView]:
        """Every deployed process (latest version) and whether `user` may start it."""
        return self._eng._read(lambda uow: deployed(self._eng.ctx, uow, user))

    def get(self, process_id: str, user: str) -> ProcessView:
        """One deployed process with its start form."""
        return self._eng._read(lambda uow: one(self._eng.ctx, uow, process_id, user))
