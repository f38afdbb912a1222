"""`eng.personal`: personal data's public face, one unit of work per call.

Reading a profile writes (its access-log row), so it runs as a writing unit of work.
"""
from __future__ import annotations

from . import profiles
from .profiles import ProfileAccess, ProfileView, ViewRow


class Personal:
    def __init__(self, eng):
        self._eng = eng

    def _write(self, use_case, *args):
        return self._eng._write(lambda uow: use_case(self._eng.ctx, uow, *args))

    def rights(self, contact_id: str, user: str) -> ProfileAccess:
        return self._eng._read(lambda uow: profiles.rights(uow, contact_id, user))

    def profile(self, contact_id: str, user: str) -> ProfileView:
        """The contact's personal profile; the view is logged."""
        return self._write(profiles.read, contact_id, user)

    def save_profile(self, contact_id: str, user: str, document: dict, version: int | None = None) -> None:
        self._write(profiles.save, contact_id, user, document, version)

    def erase_profile(self, contact_id: str, user: str) -> None:
        self._write(profiles.erase, contact_id, user)

    def access_log(self, contact_id: str, user: str) -> list[ViewRow]:
        return self._eng._read(lambda uow: profiles.access_log(uow, contact_id, user))
