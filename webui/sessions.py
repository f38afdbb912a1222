"""Server-side sessions kept by the engine: the cookie carries only a signed token.

Signed in, the browser holds the signed token (and, for the one redirect they live across,
the flash messages to show next); the engine keeps the user and the session's data
(language, CSRF secret). A request reads its session and user in one statement and writes
the session back only when its data changed (flashes alone never do). Signing in always opens a new
session (so a token seen before is worthless), signing out closes it, and the engine
answers None for an expired session or a deactivated user, so either ends at once in
every app process.

Before signing in there is no engine session (one belongs to a user): a visitor's few
values (the language chosen, the login form's CSRF secret, a flash) travel in the
signed cookie itself, as in Flask's default sessions.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from flask import has_request_context, request
from flask.sessions import SecureCookieSessionInterface, SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from engine.views import UserView

FLASHES = "_flashes"      # Flask's key: carried in the signed cookie, never written to the database
FLASHES_KEPT = 5          # the newest messages not yet shown; a client that never follows its redirects
                          # (a script, a benchmark) would otherwise grow the cookie with every POST


class SessionStore(Protocol):
    """What the engine offers as `Engine.sessions`."""

    def open(self, username: str, ttl: timedelta, data: dict | None = None) -> str: ...
    def get(self, token: str | None, max_age: timedelta | None = None) -> tuple[str, dict] | None: ...
    def identify(self, token: str | None, max_age: timedelta | None = None) -> tuple[UserView, dict] | None: ...
    def save(self, token: str, data: dict, ttl: timedelta | None = None) -> bool: ...
    def close(self, token: str | None) -> None: ...


class ServerSession(CallbackDict, SessionMixin):
    """Flask's `session`: `uid` names the signed-in user; the rest is the session's data."""

    def __init__(self, data: dict | None = None, token: str | None = None, user: UserView | None = None,
                 stored: dict | None = None):
        def on_update(_self):
            _self.modified = True
        super().__init__(data or {}, on_update)
        self.token = token
        self.user = user                  # the signed-in user as the session's lookup found them
        self.stored = stored              # the data as the database holds it (None: not read)
        self.modified = False
        self.closing: list[str] = []      # tokens to close after the request

    def restart(self) -> None:
        """Drop the current token (closed after the request); signing in then opens a new one."""
        if self.token:
            self.closing.append(self.token)
        self.token = None
        self.user = self.stored = None
        self.modified = True


class EngineSessions(SessionInterface):
    # refresh a signed-in session's expiry at most this often (a write), as a share of its lifetime
    EXTEND_EVERY = 0.1

    def __init__(self, store: SessionStore, stateless: tuple[str, ...] = ()):
        self.store = store
        self.stateless = stateless          # path prefixes served without a session (the token-signed API)

    def get_cookie_secure(self, app) -> bool:
        """`Secure` when configured, and whenever the request came over HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure))

    def _signer(self, app):
        return SecureCookieSessionInterface().get_signing_serializer(app)

    def open_session(self, app, request) -> ServerSession:
        cookie, signer = request.cookies.get(self.get_cookie_name(app)), self._signer(app)
        if not cookie or signer is None or (self.stateless and request.path.startswith(self.stateless)):
            return ServerSession()
        try:
            ticket = signer.loads(cookie, max_age=int(app.permanent_session_lifetime.total_seconds()))
        except Exception:   # noqa: BLE001 - a bad or old cookie is simply no session
            ticket = None
        if isinstance(ticket, dict) and isinstance(ticket.get("token"), str):
            found = self.store.identify(ticket["token"], app.config.get("SESSION_MAX_LIFETIME"))
            if found is not None:
                user, data = found
                flashes = {FLASHES: ticket["flashes"]} if isinstance(ticket.get("flashes"), list) else {}
                return ServerSession({**data, **flashes, "uid": user.username}, ticket["token"], user, data)
        elif isinstance(ticket, dict) and isinstance(ticket.get("visitor"), dict):
            return ServerSession({k: v for k, v in ticket["visitor"].items() if k != "uid"})
        ended = ServerSession()
        ended.modified = True               # logged out, expired or deactivated: remove the cookie
        return ended

    def save_session(self, app, session: ServerSession, response) -> None:
        for token in session.closing:
            self.store.close(token)
        if session.accessed:
            response.vary.add("Cookie")
        uid = session.get("uid")
        if uid:
            ticket = self._save_signed_in(app, session, uid)
        elif session:
            visitor = {**session, FLASHES: session[FLASHES][-FLASHES_KEPT:]} if session.get(FLASHES) else dict(session)
            ticket = {"visitor": visitor} if session.modified or self.should_set_cookie(app, session) else None
        else:
            ticket = None
            if session.modified:
                self._delete_cookie(app, response)
        if ticket is not None:
            response.set_cookie(self.get_cookie_name(app), self._signer(app).dumps(ticket), httponly=True,
                                expires=self.get_expiration_time(app, session), domain=self.get_cookie_domain(app),
                                path=self.get_cookie_path(app), secure=self.get_cookie_secure(app),
                                samesite=self.get_cookie_samesite(app))

    def _save_signed_in(self, app, session: ServerSession, uid: str) -> dict | None:
        lifetime, now = app.permanent_session_lifetime, app.config["CLOCK"]().timestamp()
        if now - session.get("_extended", 0) > lifetime.total_seconds() * self.EXTEND_EVERY:
            session["_extended"] = int(now)     # keeps an active session alive (up to its absolute limit)
        data = {k: v for k, v in session.items() if k not in ("uid", FLASHES)}
        if session.token is None:
            session.token = self.store.open(uid, lifetime, data)
        elif session.modified and data != session.stored and not self.store.save(session.token, data, lifetime):
            return None                     # ended during the request (e.g. signed out elsewhere)
        elif not session.modified and not self.should_set_cookie(app, session):
            return None
        flashes = session.get(FLASHES)
        return {"token": session.token, "flashes": flashes[-FLASHES_KEPT:]} if flashes else {"token": session.token}

    def _delete_cookie(self, app, response) -> None:
        response.delete_cookie(self.get_cookie_name(app), domain=self.get_cookie_domain(app),
                               path=self.get_cookie_path(app), secure=self.get_cookie_secure(app),
                               samesite=self.get_cookie_samesite(app), httponly=True)
