"""Projects: start one, list mine, see where one stands, withdraw it, print its authorisation."""
from .views import bp

__all__ = ["bp"]
