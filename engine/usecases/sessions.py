"""Server-side login sessions: the browser keeps a random token, the database the rest.

Logging out, deactivating a user or expiry ends a session everywhere at once, in every
app process, because nothing but the token lives in the browser.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, delete, select, update

from .. import auditlog
from ..db.schema import AuthSession, GroupMember, User
from ..directory import _person
from ..views import UserView
from .users import view

DEFAULT_TTL = timedelta(hours=12)
_USERS, _MEMBERS, _SESSIONS = User.__table__, GroupMember.__table__, AuthSession.__table__
# the session with its user and the user's groups, as plain rows (every request asks): built once
_IDENTIFY = (select(_SESSIONS.c.data, _SESSIONS.c.created_at.label("session_created_at"), _SESSIONS.c.expires_at,
                    *_USERS.c, _MEMBERS.c.group_name)
             .join(_USERS, _USERS.c.username == _SESSIONS.c.username)
             .outerjoin(_MEMBERS, _MEMBERS.c.username == _USERS.c.username)
             .where(_SESSIONS.c.token_hash == bindparam("key")))


def session_key(token: str) -> str:
    """What the database keeps of a session token (its SHA-256), never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()



class Sessions:
    def __init__(self, eng):
        self._eng = eng

    def open(self, username: str, ttl: timedelta = DEFAULT_TTL, data: dict | None = None) -> str:
        """Start a session for an (already authenticated) user; returns the token."""
        token = secrets.token_urlsafe(32)

        def use_case(uow):
            now = self._eng.ctx.clock()
            uow.session.add(AuthSession(token_hash=session_key(token), username=username, data=data or {},
                                        created_at=now, expires_at=now + ttl))
        self._eng._write(use_case)
        return token

    def get(self, token: str | None, max_age: timedelta | None = None) -> tuple[str, dict] | None:
        """(username, data) of a live session whose user is still active, else None. A session is
        live until it has been idle past its expiry, and never longer than `max_age` after it began."""
        found = self.identify(token, max_age)
        return (found[0].username, found[1]) if found is not None else None

    def identify(self, token: str | None, max_age: timedelta | None = None) -> tuple[UserView, dict] | None:
        """The user of a live session (see `get`) with the session's data, in one statement: a
        request looks its identity up once."""
        if not token:
            return None

        def use_case(uow):
            rows = uow.session.execute(_IDENTIFY, {"key": session_key(token)}).all()
            now = self._eng.ctx.clock()
            if not rows:
                return None
            row = rows[0]
            if row.expires_at <= now or (max_age is not None and row.session_created_at + max_age <= now) \
                    or not row.active:
                return None
            return view(_person(row, {r.group_name for r in rows if r.group_name})), dict(row.data or {})
        return self._eng._read(use_case, one_statement=True)

    def save(self, token: str, data: dict, ttl: timedelta | None = None) -> bool:
        """Replace the session's data (and extend it by `ttl`); False if it no longer exists.
        One UPDATE: the row need not be read first."""
        values: dict = {"data": dict(data)}
        if ttl is not None:
            values["expires_at"] = self._eng.ctx.clock() + ttl
        return self._eng._write(lambda uow: uow.session.execute(
            update(AuthSession).where(AuthSession.token_hash == session_key(token)).values(**values)
            .execution_options(synchronize_session=False)).rowcount > 0)

    def close(self, token: str | None) -> None:
        """End the session (signing out, or a new sign-in replacing it), audited on the user's stream."""
        def use_case(uow):
            row = uow.session.get(AuthSession, session_key(token))
            if row is not None:
                auditlog.record(uow.session, f"user:{row.username}", "session_ended", row.username,
                                self._eng.ctx.clock())
                uow.session.delete(row)
        if token:
            self._eng._write(use_case)

    def close_all(self, username: str) -> None:
        self._eng._write(lambda uow: uow.session.execute(
            delete(AuthSession).where(AuthSession.username == username)))
