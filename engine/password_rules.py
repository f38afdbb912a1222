"""What a password must be (OWASP ASVS 2.1): 12 to 128 characters, any characters, no rules
about digits or symbols, and not one of the 20,000 most common passwords (the list shipped
in engine/data; its source and licence are in engine/data/COMMON-PASSWORDS.md).

The same rules hold for a password a user chooses and one an administrator sets.
"""
from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from .errors import FieldError

MIN_LENGTH = 12
MAX_LENGTH = 128
_COMMON = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines)


def password_error(password, path: str = "$.password") -> FieldError | None:
    """Why `password` may not be used, as a field error, or None if it may."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        return FieldError(path, f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        return FieldError(path, f"must be at most {MAX_LENGTH} characters")
    if password.lower() in _common_passwords() or password.strip().lower() in _common_passwords():
        return FieldError(path, "is one of the most common passwords; choose another")
    return None
