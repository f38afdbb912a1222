"""Personal access tokens: a user's own key to the JSON API, acting with that user's rights.

Only a token's SHA-256 is stored (the secret is random, 256 bits, so a fast hash is enough);
its owner sees the secret once, when it is created. A token works until it expires, its owner
revokes it or the owner is deactivated (which revokes all of them). Creating and revoking are
events on the owner's `user:<username>` audit stream.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select

from .. import auditlog
from ..db.api_keys import ApiToken
from ..db.schema import User
from ..errors import FieldError, NotAllowed, NotFound, ValidationFailed
from ..text import has_control, trim
from ..views import TokenView

SECRET_PREFIX = "kft_"
MAX_DAYS = 366
NAME_LENGTH = 100
TOUCH_EVERY = timedelta(minutes=1)     # `last_used_at` is written at most this often per token


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def view(row: ApiToken) -> TokenView:
    return TokenView(row.id, row.name, row.prefix, row.created_at, row.expires_at, row.last_used_at, row.revoked_at)


def _checked(name, days) -> tuple[str, int]:
    errors = []
    if isinstance(name, str) and has_control(name):     # before trimming: str.strip() would eat some
        name = ""
    name = trim(name) if isinstance(name, str) else ""
    if not name or len(name) > NAME_LENGTH:
        errors.append(FieldError("$.name", f"give the token a name of 1 to {NAME_LENGTH} characters on one line"))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors.append(FieldError("$.days", f"must be a whole number of days from 1 to {MAX_DAYS}"))
    if errors:
        raise ValidationFailed(errors)
    return name, days


def create(ctx, uow, username: str, name: str, days: int) -> tuple[TokenView, str]:
    """A new token for `username`, valid for `days`; returns it with its secret."""
    name, days = _checked(name, days)
    person = uow.directory.find(username)
    if person is None or not person.active:
        raise NotAllowed(f"{username} may not create tokens")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = ctx.clock()
    row = ApiToken(id=str(uuid.uuid4()), username=username, name=name, token_hash=_hash(secret),
                   prefix=secret[:len(SECRET_PREFIX) + 6], created_at=now, expires_at=now + timedelta(days=days))
    uow.session.add(row)
    auditlog.record(uow.session, auditlog.user_stream(username), "token_created", username, now,
                    meta={"token_id": row.id, "expires_at": row.expires_at.isoformat()}, payload={"name": name})
    return view(row), secret


def mine(uow, username: str) -> list[TokenView]:
    """The user's tokens that were not revoked, newest first (expired ones included)."""
    rows = uow.session.scalars(select(ApiToken).where(ApiToken.username == username, ApiToken.revoked_at.is_(None))
                               .order_by(ApiToken.created_at.desc()))
    return [view(r) for r in rows]


def revoke(ctx, uow, token_id: str, username: str) -> None:
    """The owner revokes one of their tokens; anyone else's is "not found" to them."""
    row = uow.session.get(ApiToken, token_id) if token_id else None
    if row is None or row.username != username or row.revoked_at is not None:
        raise NotFound(f"No token {token_id!r}")
    _revoke(ctx, uow, row, username, "revoked")


def revoke_all(ctx, uow, username: str, actor: str) -> int:
    """Every live token of `username` (used when the user is deactivated); returns how many."""
    rows = list(uow.session.scalars(select(ApiToken).where(ApiToken.username == username,
                                                           ApiToken.revoked_at.is_(None))))
    for row in rows:
        _revoke(ctx, uow, row, actor, "user deactivated")
    return len(rows)


def _revoke(ctx, uow, row: ApiToken, actor: str, why: str) -> None:
    now = ctx.clock()
    row.revoked_at = now
    auditlog.record(uow.session, auditlog.user_stream(row.username), "token_revoked", actor, now,
                    meta={"token_id": row.id, "reason": why})


def owner_of(ctx, uow, secret: str) -> tuple[str, bool] | None:
    """(username, whether `last_used_at` is due a write) of a live token of an active user."""
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    now = ctx.clock()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = uow.session.get(User, row.username)
    if user is None or not user.active:
        return None
    return row.username, row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY


def touch(ctx, uow, secret: str) -> None:
    row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    if row is not None:
        row.last_used_at = ctx.clock()


class Tokens:
    """`Engine.tokens`: each call is one unit of work."""

    def __init__(self, eng):
        self._eng = eng

    def create(self, username: str, name: str, days: int = 90) -> tuple[TokenView, str]:
        return self._eng._write(lambda uow: create(self._eng.ctx, uow, username, name, days))

    def list(self, username: str) -> list[TokenView]:
        return self._eng._read(lambda uow: mine(uow, username))

    def revoke(self, token_id: str, username: str) -> None:
        self._eng._write(lambda uow: revoke(self._eng.ctx, uow, token_id, username))

    def user_of(self, secret: str | None) -> str | None:
        """Who a bearer secret acts as, or None (unknown, revoked, expired, owner deactivated)."""
        found = self._eng._read(lambda uow: owner_of(self._eng.ctx, uow, secret)) if secret else None
        if found is None:
            return None
        username, stale = found
        if stale:
            self._eng._write(lambda uow: touch(self._eng.ctx, uow, secret))
        return username
