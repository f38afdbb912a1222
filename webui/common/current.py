"""The request's engine and signed-in user, so views never reach into app internals."""
from __future__ import annotations

from flask import current_app, g

from engine import Engine
from engine.views import UserView


def engine() -> Engine:
    return current_app.extensions["kamflow"]


def user() -> UserView:
    return g.user


def me() -> str:
    return g.user.username



def home_process() -> str:
    """The product's own process: the one the catalog marks, else the configured one."""
    if "home_process" not in g:
        g.home_process = engine().process_catalog.home() or current_app.config["PROCESS_ID"]
    return g.home_process


def may_start_project() -> bool:
    """Whether the signed-in user belongs where the process starts (asked once per request)."""
    if "may_start_project" not in g:
        try:
            g.may_start_project = g.get("user") is not None and \
                engine().may_start(home_process(), me())
        except Exception:   # noqa: BLE001 - an error page (database gone, no process) must still draw
            g.may_start_project = False
    return g.may_start_project
