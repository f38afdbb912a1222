"""Signing in: throttled per account, per client address and per pair, counted in the database.

Ten failures of one account from one address within fifteen minutes make that pair wait; fifty
failures of one account (from anywhere) or from one address (any account) make all of them wait.
So one guesser locks out only themselves, while a spread-out attack still has to slow down. A wait
ends when the oldest counted failure leaves the window, never later: nobody is locked out for good.
The password itself is checked outside any transaction (it takes ~40 ms) by `users.authenticate`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, select

from .. import auditlog
from ..db.signin import LoginFailure
from ..errors import TooManyAttempts
from ..text import LIMITS, field_error, require


@dataclass(frozen=True)
class Throttle:
    window: timedelta = timedelta(minutes=15)
    per_pair: int = 10
    per_account: int = 50
    per_address: int = 50


def _retry_at(uow, condition, limit: int, throttle: Throttle, since: datetime) -> datetime | None:
    """When the failures matching `condition` drop below `limit` again, or None if they are below it."""
    times = uow.session.scalars(select(LoginFailure.at).where(condition, LoginFailure.at > since)
                                .order_by(LoginFailure.at.desc()).limit(limit)).all()
    return times[-1] + throttle.window if len(times) >= limit else None


def check_not_throttled(uow, username: str, address: str, now: datetime, throttle: Throttle = Throttle()) -> None:
    """Raise TooManyAttempts (naming when to retry) if this account or address must wait; a name no
    account could have is refused as such first (PostgreSQL cannot even compare a NUL)."""
    require(field_error("$.username", username, LIMITS["username"]))
    since = now - throttle.window
    by_account, by_address = LoginFailure.username == username, LoginFailure.address == address
    waits = [_retry_at(uow, and_(by_account, by_address), throttle.per_pair, throttle, since),
             _retry_at(uow, by_account, throttle.per_account, throttle, since),
             _retry_at(uow, by_address, throttle.per_address, throttle, since)]
    later = max((w for w in waits if w is not None), default=None)
    if later is not None:
        raise TooManyAttempts(later)


def user_stream(username: str) -> str:
    return f"user:{username}"


def record_failure(uow, username: str, address: str, now: datetime, throttle: Throttle = Throttle()) -> None:
    """Count one failure (forgetting those that left the window) and audit it on the name's stream,
    whether or not such a user exists, so both cost the same. The address is personal: payload."""
    uow.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - throttle.window))
    uow.session.add(LoginFailure(username=username, address=address, at=now))
    auditlog.record(uow.session, user_stream(username), "sign_in_failed", None, now, payload={"address": address})


def record_success(uow, username: str, address: str, now: datetime) -> None:
    """Audit the sign-in; it clears that pair's count (the owner's own typos)."""
    uow.session.execute(delete(LoginFailure).where(LoginFailure.username == username,
                                                   LoginFailure.address == address))
    auditlog.record(uow.session, user_stream(username), "signed_in", username, now, payload={"address": address})

