"""Engine errors and HTTP errors as pages, in the user's language."""
from .handlers import bp

__all__ = ["bp"]
