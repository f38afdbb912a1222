"""KAM Flow's web UI: a server-rendered Flask app over the engine's facade."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from engine import Engine
from engine.text import LIMITS

from . import (accounts, admin, api, attachments, auth, contacts, dossier, errors, health, inbox, ledger, profiles,
               projects, reports, requests, security, settings, tasks)
from .common import current, history, i18n
from .config import Config, secret_key
from .errors import problems
from .sessions import EngineSessions


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides the environment's settings; `ENGINE` may pass an engine in."""
    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None)
    app = Flask(__name__, instance_path=str(Path(instance_path).resolve()) if instance_path else None)
    app.config.from_object(Config())
    app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    app.extensions["kamflow"] = app.config.pop("ENGINE", None) or Engine(app.config["DATABASE_URL"])
    app.session_interface = EngineSessions(app.extensions["kamflow"].sessions, stateless=(problems.API_PREFIX, *health.PATHS))
    security.init_app(app)
    security.csrf.exempt(api.bp)           # token-signed, never cookie-signed: nothing to forge
    i18n.init_app(app)
    app.jinja_env.globals.update(status_label=history.status_label, standing_label=history.standing_label,
                                 standing_of=history.standing_of, may_start_project=current.may_start_project,
                                 limits=LIMITS)     # every maxlength comes from the engine's column sizes
    app.before_request(auth.require_login)
    for blueprint in (auth.bp, inbox.bp, tasks.bp, projects.bp, requests.bp, accounts.bp, accounts.competitors.bp,
                      accounts.handover.bp, contacts.bp, ledger.bp, profiles.bp, dossier.bp, attachments.bp,
                      reports.bp, settings.bp, admin.bp, api.bp, health.bp, errors.bp):
        app.register_blueprint(blueprint)
    return app
