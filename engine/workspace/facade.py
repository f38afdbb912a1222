"""`eng.accounts`: the key-account workspace's public face, one unit of work per call.

Every call names the acting user; the engine checks per object who may see and who may
change (engine/workspace/access.py) and raises NotFound, NotAllowed, ValidationFailed (every
field, by JSON path) or Conflict (someone changed it since `version`) from engine/errors.py.
"""
from __future__ import annotations

from ..views import UserView
from . import accounts, competitors, contacts, handover, reading
from .reading import AccountPage
from .views import AccountView, CompetitorView, ContactView, Handover, StageToConfirm


class Accounts:
    def __init__(self, eng):
        self._eng = eng

    def _write(self, use_case, *args):
        return self._eng._write(lambda uow: use_case(self._eng.ctx, uow, *args))

    # -- accounts -----------------------------------------------------------------------
    def create(self, user: str, document: dict) -> str:
        """A new account from a document like `schemas.ACCOUNT`; returns its id."""
        return self._write(accounts.create, user, document)

    def update(self, account_id: str, user: str, document: dict, version: int | None = None) -> None:
        """Replace the profile (`schemas.PROFILE`): the account team and admins."""
        self._write(accounts.update_profile, account_id, user, document, version)

    def set_our_side(self, account_id: str, user: str, document: dict, version: int | None = None) -> None:
        """Owner, team and executive sponsor (`schemas.OUR_SIDE`): the owner and admins."""
        self._write(accounts.set_our_side, account_id, user, document, version)

    def get(self, account_id: str, user: str) -> AccountView:
        return self._eng._read(lambda uow: reading.read(uow, account_id, user, self._eng.ctx.clock().date()))

    def document(self, account_id: str, user: str, our_side: bool = False) -> tuple[dict, int]:
        """The account as its edit form opens (profile, or `our_side`) for someone who may save
        it, and the version to send back with the change."""
        return self._eng._read(lambda uow: reading.document(uow, account_id, user, our_side))

    def list(self, user: str, search: str | None = None, account_type: str | None = None, owner: str | None = None,
             tier: str | None = None, limit: int = 20, offset: int = 0) -> AccountPage:
        """The accounts `user` may see, by name; filters combine."""
        return self._eng._read(lambda uow: reading.list_accounts(uow, user, search, account_type, owner, tier,
                                                                 limit, offset, self._eng.ctx.clock().date()))

    def startable(self, user: str) -> list[tuple[str, str]]:
        """(id, name) of the accounts `user` may start a project on (those they may change)."""
        return self._eng._read(lambda uow: reading.editable_accounts(uow, user))

    def people(self) -> list[UserView]:
        """Who can be an owner, team member or sponsor: the active users."""
        return [u for u in self._eng.users() if u.active]

    # -- leavers -------------------------------------------------------------------------
    def hand_over(self, account_id: str, user: str, document: dict) -> Handover:
        """`{successor}` takes over the account and the owner's people there (managers above the
        owner, admins); each person's stage waits for the successor's confirmation."""
        return self._write(handover.hand_over, account_id, user, document)

    def hand_over_all(self, leaver: str, user: str, document: dict) -> Handover:
        """`{successor}` takes over every account `leaver` owns."""
        return self._write(handover.hand_over_all, leaver, user, document)

    def confirm_stage(self, contact_id: str, user: str, document: dict) -> None:
        """The successor keeps a handed-over person's stage (`{}`), lowers it (`{stage, reason}`) or,
        on a marker activity since the last change, raises it."""
        self._write(handover.confirm_stage, contact_id, user, document)

    def may_hand_over(self, owner: str, user: str) -> bool:
        """Whether `user` may hand over the accounts `owner` looks after."""
        return self._eng._read(lambda uow: handover.may_hand_over(uow, owner, uow.directory.find(user)))

    def stages_to_confirm(self, user: str) -> list[StageToConfirm]:
        return self._eng._read(lambda uow: handover.to_confirm(uow, user))

    # -- contacts -----------------------------------------------------------------------
    def add_contact(self, account_id: str, user: str, document: dict) -> str:
        return self._write(contacts.add, account_id, user, document)

    def contact(self, contact_id: str, user: str) -> ContactView:
        """A contact with its stage history."""
        return self._eng._read(lambda uow: contacts.read(uow, contact_id, user))

    def change_contact(self, contact_id: str, user: str, document: dict, version: int | None = None) -> None:
        self._write(contacts.change, contact_id, user, document, version)

    def remove_contact(self, contact_id: str, user: str) -> None:
        self._write(contacts.remove, contact_id, user)

    # -- competitors --------------------------------------------------------------------
    def add_competitor(self, account_id: str, user: str, document: dict) -> str:
        return self._write(competitors.add, account_id, user, document)

    def competitor(self, competitor_id: str, user: str) -> CompetitorView:
        return self._eng._read(lambda uow: competitors.read(uow, competitor_id, user))

    def change_competitor(self, competitor_id: str, user: str, document: dict, version: int | None = None) -> None:
        self._write(competitors.change, competitor_id, user, document, version)

    def remove_competitor(self, competitor_id: str, user: str) -> None:
        self._write(competitors.remove, competitor_id, user)
