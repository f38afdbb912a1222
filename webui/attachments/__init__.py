"""Files attached to a project: attached on the task page, downloaded by those who may see it."""
from .views import bp

__all__ = ["bp"]
