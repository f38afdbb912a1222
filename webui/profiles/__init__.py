"""A contact's personal profile: its own page (each opening logged), edit, erase on request."""
from .views import bp, panel  # noqa: F401
