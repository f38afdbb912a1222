"""My settings: notifications, language, time zone, out of office."""
from .views import bp

__all__ = ["bp"]
