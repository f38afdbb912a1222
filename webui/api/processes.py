"""Deployed processes: which there are, which I may start, their start forms; start one."""
from __future__ import annotations

from flask import url_for

from engine import NotFound

from ..common.current import engine, me
from . import bp, inputs
from .idempotency import idempotent
from .represent import process, respond


def _process_id(raw: str) -> str:
    if not inputs.plain_name(raw):
        raise NotFound(f"No deployed process {raw[:200]!r}")
    return raw


@bp.get("/processes")
def list_processes():
    return respond({"items": [process(p) for p in engine().deployed.list(me())]})


@bp.get("/processes/<process_id>")
def get_process(process_id: str):
    return respond(process(engine().deployed.get(_process_id(process_id), me())))


@bp.post("/processes/<process_id>/instances")
@idempotent
def start_instance(process_id: str):
    process_id = _process_id(process_id)
    iid = engine().start(process_id, me(), inputs.data_of_body())
    href = url_for("api.get_instance", instance_id=iid)
    return respond({"id": iid, "process_id": process_id, "href": href}, 201, {"Location": href})
