"""Signing in and out; every other page needs a signed-in user."""
from .views import bp, require_login

__all__ = ["bp", "require_login"]
