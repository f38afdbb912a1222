"""The people at an account: add one, see one with its stage history, change or remove one."""
from .views import bp

__all__ = ["bp"]
