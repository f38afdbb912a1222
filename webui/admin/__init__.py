"""Administration: instances, incidents, users, groups, deploy and the outbox (admins only)."""
from .views import bp

__all__ = ["bp"]
