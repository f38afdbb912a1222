"""The relationship ledger's pages: record an activity, change a stage, set a target, record a
gift; the ledger's sections on the contact, account, project, task and home pages."""
from .views import bp

__all__ = ["bp"]
