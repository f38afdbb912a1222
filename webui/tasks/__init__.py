"""One task: its form, drafts, files, earlier answers and review rounds."""
from .views import bp

__all__ = ["bp"]
