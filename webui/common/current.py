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
