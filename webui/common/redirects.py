"""Where to go after signing in or switching language: a path on this site, never elsewhere."""
from __future__ import annotations

from urllib.parse import urlsplit

from engine.text import has_control


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never an open redirect to somewhere else."""
    if not target:
        return default
    if has_control(target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
