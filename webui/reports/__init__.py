"""The reports (issue 9): one page each with a chart, a table and a CSV of the table's rows."""
from .views import bp

__all__ = ["bp"]
