"""Password hashing with argon2id (OWASP's first choice; ~40 ms to verify here).

Every check runs the hasher once, also when there is no hash to check against (an unknown
user, an account without a password): otherwise the answer's speed would tell which
usernames exist.
"""
from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    """A hash no password matches in practice, made once per process when first needed."""
    return _HASHER.hash("no account has this password; it only makes unknown names cost the same")


def check_password(stored_hash: str | None, password: str) -> bool:
    """True if `password` matches `stored_hash`; the same work is done when there is no hash."""
    try:
        matched = _HASHER.verify(stored_hash or _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        matched = False
    return bool(matched and stored_hash and password)
