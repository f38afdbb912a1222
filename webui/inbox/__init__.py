"""The inbox: my tasks and my groups' unclaimed ones."""
from .views import bp

__all__ = ["bp"]
