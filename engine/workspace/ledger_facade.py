"""`eng.ledger`: the relationship ledger and the gifts register, one unit of work per call.

Every call names the acting user; access follows the account (engine/workspace/access.py).
Errors from engine/errors.py: NotFound, NotAllowed, ValidationFailed (every field by JSON path).
"""
from __future__ import annotations

from . import gifts, ledger, ledger_reading, settings
from .ledger_views import ColdContact, Coverage, GiftView, Ledger as LedgerView
from .settings import LedgerSettings


class Ledger:
    def __init__(self, eng):
        self._eng = eng

    def _write(self, use_case, *args):
        return self._eng._write(lambda uow: use_case(self._eng.ctx, uow, *args))

    def _read(self, use_case, *args):
        return self._eng._read(lambda uow: use_case(uow, *args))

    # -- activities and stages ------------------------------------------------------------
    def record_activity(self, contact_id: str, user: str, document: dict) -> int:
        """`{kind, occurred_on, notes}`; a marker activity of a higher stage raises the person's stage."""
        return self._write(ledger.record_activity, contact_id, user, document)

    def change_stage(self, contact_id: str, user: str, document: dict) -> bool:
        """`{stage, reason}`: up only on a marker activity recorded since the last change, down with a reason."""
        return self._write(ledger.set_stage, contact_id, user, document)

    def set_target(self, contact_id: str, user: str, document: dict | None) -> None:
        """`{stage, due_on}` for a decision maker; None clears it."""
        self._write(ledger.set_target, contact_id, user, document)

    def of_contact(self, contact_id: str, user: str) -> LedgerView:
        return self._eng._read(lambda uow: ledger_reading.of_contact(self._eng.ctx, uow, contact_id, user))

    def of_account(self, account_id: str, user: str) -> LedgerView:
        return self._eng._read(lambda uow: ledger_reading.of_account(self._eng.ctx, uow, account_id, user))

    def going_cold(self, user: str) -> list[ColdContact]:
        """The people `user` looks after with nothing done for longer than the configured days."""
        return self._eng._read(lambda uow: ledger_reading.going_cold_for(self._eng.ctx, uow, user))

    # -- gifts ----------------------------------------------------------------------------
    def record_gift(self, account_id: str, user: str, document: dict) -> str:
        """`{contact_id, kind, description, given_on, amount, currency}`; starts compliance approval if due."""
        return self._write(gifts.record, account_id, user, document)

    def gift(self, gift_id: str, user: str) -> GiftView:
        return self._read(gifts.read, gift_id, user)

    # -- coverage and settings ------------------------------------------------------------
    def coverage(self, instance_id: str, user: str) -> Coverage | None:
        """A project's decision makers and influencers by stage; None when it has no account."""
        return self._read(ledger_reading.coverage_of, instance_id, user)

    def coverage_for_task(self, task_id: str, user: str) -> Coverage | None:
        """The coverage a task that checks it (the proposal step) shows; None for other tasks."""
        return self._eng._read(lambda uow: ledger_reading.coverage_for_task(self._eng.ctx, uow, task_id, user))

    def settings(self) -> LedgerSettings:
        return self._eng._read(lambda uow: settings.read(uow.session))

    def change_settings(self, user: str, document: dict) -> None:
        """Admins only: `{going_cold_days, gift_threshold_amount, gift_threshold_currency, coverage_mode}`."""
        self._write(settings.change, user, document)
