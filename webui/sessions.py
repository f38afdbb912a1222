"""Server-side sessions: the cookie carries only a signed {"uid", "sid"}; the rest stays here.

`SessionStore` is the seam: `FileSessionStore` keeps one JSON file per session under the
instance folder (shared by every worker on one host) until the engine offers a sessions
table, when an engine-backed store with the same three methods replaces it.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Protocol

from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict


class SessionStore(Protocol):
    def load(self, sid: str) -> dict | None: ...
    def save(self, sid: str, data: dict, expires_at: float) -> None: ...
    def delete(self, sid: str) -> None: ...


class FileSessionStore:
    """One file per session, named by a hash of its id; expired files are pruned now and then."""

    PRUNE_EVERY = 200

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._saves = 0

    def _path(self, sid: str) -> Path:
        return self.folder / (hashlib.sha256(sid.encode()).hexdigest() + ".json")

    def load(self, sid: str) -> dict | None:
        try:
            record = json.loads(self._path(sid).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if record.get("expires_at", 0) < time.time():
            self.delete(sid)
            return None
        return record.get("data") or {}

    def save(self, sid: str, data: dict, expires_at: float) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"expires_at": expires_at, "data": data}, f, ensure_ascii=False)
        os.replace(tmp, self._path(sid))
        self._saves += 1
        if self._saves % self.PRUNE_EVERY == 0:
            self.prune()

    def delete(self, sid: str) -> None:
        self._path(sid).unlink(missing_ok=True)

    def prune(self) -> None:
        now = time.time()
        for path in self.folder.glob("*.json"):
            try:
                if json.loads(path.read_text(encoding="utf-8")).get("expires_at", 0) < now:
                    path.unlink(missing_ok=True)
            except (OSError, ValueError):
                path.unlink(missing_ok=True)


def new_sid() -> str:
    return secrets.token_urlsafe(32)


class ServerSession(CallbackDict, SessionMixin):
    """Flask's `session`: a dict whose changes are saved to the store after the request."""

    def __init__(self, data: dict | None = None, sid: str | None = None, new: bool = True):
        def on_update(_self):
            _self.modified = True
        super().__init__(data or {}, on_update)
        self.sid = sid or new_sid()
        self.new = new
        self.modified = False
        self.stale_sids: list[str] = []

    def regenerate(self) -> None:
        """A new id (at login and logout), so a session id seen before signing in is worthless."""
        self.stale_sids.append(self.sid)
        self.sid = new_sid()
        self.modified = True


class ServerSideSessions(SessionInterface):
    def __init__(self, store: SessionStore):
        self.store = store

    def _serializer(self, app):
        from flask.sessions import SecureCookieSessionInterface
        return SecureCookieSessionInterface().get_signing_serializer(app)

    def open_session(self, app, request) -> ServerSession:
        cookie = request.cookies.get(self.get_cookie_name(app))
        signer = self._serializer(app)
        if cookie and signer is not None:
            try:
                ticket = signer.loads(cookie, max_age=int(app.permanent_session_lifetime.total_seconds()))
            except Exception:   # noqa: BLE001 - a bad or old cookie is simply no session
                ticket = None
            if isinstance(ticket, dict) and isinstance(ticket.get("sid"), str):
                data = self.store.load(ticket["sid"])
                if data is not None and data.get("uid") == ticket.get("uid"):
                    return ServerSession(data, ticket["sid"], new=False)
        return ServerSession()

    def save_session(self, app, session: ServerSession, response) -> None:
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        for sid in session.stale_sids:
            self.store.delete(sid)
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if not session.new:
                self.store.delete(session.sid)
                response.delete_cookie(name, domain=domain, path=path, secure=self.get_cookie_secure(app),
                                       samesite=self.get_cookie_samesite(app), httponly=True)
            return
        lifetime = app.permanent_session_lifetime.total_seconds()
        if time.time() - session.get("_saved", 0) > lifetime / 10:
            session["_saved"] = int(time.time())    # keeps an active session alive, at most ~10 writes
        if session.modified or session.new:
            self.store.save(session.sid, dict(session), time.time() + lifetime)
        elif not self.should_set_cookie(app, session):
            return
        ticket = self._serializer(app).dumps({"uid": session.get("uid"), "sid": session.sid})
        response.set_cookie(name, ticket, expires=self.get_expiration_time(app, session), httponly=True,
                            domain=domain, path=path, secure=self.get_cookie_secure(app),
                            samesite=self.get_cookie_samesite(app))
