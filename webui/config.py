"""Settings read from the environment when the app is created (never at import)."""
from __future__ import annotations

import os
import secrets
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from engine.usecases.attachments import MAX_BYTES

MAX_REQUEST_BYTES = MAX_BYTES + 512 * 1024   # the file plus the task form it is sent with

DEFAULT_DATABASE_URL = "sqlite:///instance/kamflow.db"


class Config:
    """Everything `create_app` needs; `create_app(config)` overrides any of it."""

    def __init__(self, environ: os._Environ | dict | None = None):
        env = os.environ if environ is None else environ
        self.DATABASE_URL = env.get("KAMFLOW_DATABASE_URL") or DEFAULT_DATABASE_URL
        self.SECRET_KEY = env.get("KAMFLOW_SECRET_KEY") or None
        # a little above the engine's 10 MB file limit, so the engine's own message answers first
        self.MAX_CONTENT_LENGTH = int(env.get("KAMFLOW_MAX_CONTENT_LENGTH") or MAX_REQUEST_BYTES)
        self.PROCESS_ID = env.get("KAMFLOW_PROCESS") or "key_account_development"
        self.SESSION_COOKIE_NAME = "kamflow_session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        # `Secure` cookies always (KAMFLOW_SECURE_COOKIES), and on every HTTPS request anyway
        self.SESSION_COOKIE_SECURE = env.get("KAMFLOW_SECURE_COOKIES", "").lower() in ("1", "true", "yes")
        self.TRUSTED_PROXIES = int(env.get("KAMFLOW_TRUSTED_PROXIES") or 0)      # see webui/security.py
        # a session ends after this long without a request (idle) and this long after sign-in (absolute)
        self.PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(env.get("KAMFLOW_SESSION_IDLE_MINUTES") or 120))
        self.SESSION_MAX_LIFETIME = timedelta(hours=int(env.get("KAMFLOW_SESSION_MAX_HOURS") or 12))
        self.WTF_CSRF_TIME_LIMIT = None          # the token lives as long as the server-side session
        self.BABEL_DEFAULT_LOCALE = "zh_Hant"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Taipei"
        self.PAGE_SIZE = 20
        # how long the API keeps an Idempotency-Key's answer
        self.IDEMPOTENCY_HOURS = float(env.get("KAMFLOW_IDEMPOTENCY_HOURS") or 24)
        self.CLOCK = _utcnow                    # what "now" is for overdue marks; tests move it


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def secret_key(instance_path: str | Path) -> str:
    """The key in instance/secret_key, created (readable by the owner only) on first use.

    Many workers may start at once: the key is written to a file of its own and then linked
    into place, which fails if another worker got there first, so every worker reads one
    complete key and never a half-written file."""
    path = Path(instance_path) / "secret_key"
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")     # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key)
        os.link(draft, path)
    except FileExistsError:                  # another worker won the race: use its key
        return path.read_text(encoding="ascii").strip()
    finally:
        os.unlink(draft)
    return key
