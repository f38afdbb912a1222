"""Which processes are deployed (their latest versions), and which of them a user may start.

Every active user may start any deployed process (`instances.start` checks the same);
the process catalog, when it names groups, is where that narrows.
"""
from __future__ import annotations

import copy

from sqlalchemy import func, select

from ..catalog import latest_definition
from ..db.schema import Definition
from ..views import ProcessView, StartForm


def _may_start(uow, username: str) -> bool:
    person = uow.directory.find(username)
    return person is not None and person.active


def deployed(uow, username: str) -> list[ProcessView]:
    newest = (select(Definition.process_id, func.max(Definition.version).label("v"))
              .group_by(Definition.process_id).subquery())
    rows = uow.session.execute(select(Definition.process_id, Definition.name, Definition.version)
                               .join(newest, (Definition.process_id == newest.c.process_id)
                                     & (Definition.version == newest.c.v))
                               .order_by(Definition.process_id)).all()
    startable = _may_start(uow, username)
    return [ProcessView(pid, name or pid, version, startable) for pid, name, version in rows]


def start_form(ctx, uow, process_id: str) -> StartForm:
    """What the latest version of `process_id` asks for at start (schema None: nothing)."""
    model = ctx.models.get(latest_definition(uow.session, process_id))
    schema, ui = model.start_form
    return StartForm(process_id, model.name, copy.deepcopy(model.form(schema)), copy.deepcopy(model.form(ui)),
                     model.account_field)


def one(ctx, uow, process_id: str, username: str) -> ProcessView:
    """One deployed process with the start form of its latest version."""
    definition = latest_definition(uow.session, process_id)
    return ProcessView(process_id, definition.name or process_id, definition.version, _may_start(uow, username),
                       start_form(ctx, uow, process_id))


class Deployed:
    """`Engine.deployed`: the deployed processes as a user sees them; each call one unit of work."""

    def __init__(self, eng):
        self._eng = eng

    def list(self, user: str) -> list[ProcessView]:
        """Every deployed process (latest version) and whether `user` may start it."""
        return self._eng._read(deployed, user)

    def get(self, process_id: str, user: str) -> ProcessView:
        """One deployed process with its start form."""
        return self._eng._read(lambda uow: one(self._eng.ctx, uow, process_id, user))
