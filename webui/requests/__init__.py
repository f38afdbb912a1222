"""Requests: start any process the catalog offers you, and follow your requests of processes other
than the home (key-account) one."""
from .views import bp

__all__ = ["bp"]
