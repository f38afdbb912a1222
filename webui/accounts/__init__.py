"""Accounts: the list, one account's page (people, projects, competitors, files, timeline) and
the forms that create and change it; competitors at an account; handing accounts over from leavers."""
from . import competitors, handover
from .views import bp

__all__ = ["bp", "competitors", "handover"]
