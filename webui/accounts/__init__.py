"""Accounts: the list, one account's page (people, projects, competitors, files, timeline) and
the forms that create and change it; competitors at an account."""
from . import competitors
from .views import bp

__all__ = ["bp", "competitors"]
