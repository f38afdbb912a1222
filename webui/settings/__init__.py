"""My settings: notifications, language, time zone, out of office, API tokens."""
from . import tokens  # noqa: F401  (adds the token routes to bp)
from .views import bp

__all__ = ["bp"]
