"""The project dossier: everything submitted in stage 1, as the reviewers saw it, printable."""
from .views import bp  # noqa: F401
