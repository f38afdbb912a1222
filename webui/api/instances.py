"""One instance with its open tasks and history, for those who may see it in the web UI too."""
from __future__ import annotations

from engine import NotAllowed

from ..common.current import engine, me
from . import bp
from .represent import instance, respond


@bp.get("/instances/<uuid:instance_id>")
def get_instance(instance_id):
    view = engine().instance(str(instance_id))          # NotFound -> 404 before any permission question
    if not engine().may_view(view.id, me()):
        raise NotAllowed(f"{me()} may not see this instance")
    return respond(instance(view))
