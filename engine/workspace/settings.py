"""The workspace's settings, kept in the database so every process reads the same: after how
many quiet days a person is going cold, the gift value above which compliance approves, and
whether the proposal step only warns or blocks when no decision maker is beyond acquaintance.
Admins change them; each change is an event on the `system` audit stream."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from .. import auditlog
from ..db.ledger import WorkspaceSetting
from ..errors import FieldError, NotAllowed, ValidationFailed
from .ledger_rules import COVERAGE_MODES
from .rules import CURRENCIES

SYSTEM_STREAM = "system"


@dataclass(frozen=True)
class LedgerSettings:
    going_cold_days: int = 60
    gift_threshold_amount: Decimal = Decimal("3000")
    gift_threshold_currency: str = "TWD"
    coverage_mode: str = "warn"          # warn | block

    def document(self) -> dict:
        return {"going_cold_days": self.going_cold_days, "gift_threshold_amount": str(self.gift_threshold_amount),
                "gift_threshold_currency": self.gift_threshold_currency, "coverage_mode": self.coverage_mode}


NAMES = tuple(LedgerSettings().document())


def read(session) -> LedgerSettings:
    stored = {row.name: row.value.get("value") for row in session.scalars(select(WorkspaceSetting))}
    defaults = LedgerSettings()
    return LedgerSettings(
        going_cold_days=int(stored.get("going_cold_days", defaults.going_cold_days)),
        gift_threshold_amount=Decimal(str(stored.get("gift_threshold_amount", defaults.gift_threshold_amount))),
        gift_threshold_currency=stored.get("gift_threshold_currency", defaults.gift_threshold_currency),
        coverage_mode=stored.get("coverage_mode", defaults.coverage_mode))


def _parsed(document: dict) -> tuple[dict, list[FieldError]]:
    values, errors = {}, []
    days = document.get("going_cold_days")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3650:
        errors.append(FieldError("$.going_cold_days", "must be a whole number of days from 1 to 3650"))
    values["going_cold_days"] = days
    try:
        amount = Decimal(str(document.get("gift_threshold_amount")))
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e16"):
            raise InvalidOperation
        values["gift_threshold_amount"] = str(amount)
    except InvalidOperation:
        errors.append(FieldError("$.gift_threshold_amount", "must be an amount of 0 or more"))
    if document.get("gift_threshold_currency") not in CURRENCIES:
        errors.append(FieldError("$.gift_threshold_currency", f"must be one of: {', '.join(CURRENCIES)}"))
    values["gift_threshold_currency"] = document.get("gift_threshold_currency")
    if document.get("coverage_mode") not in COVERAGE_MODES:
        errors.append(FieldError("$.coverage_mode", f"must be one of: {', '.join(COVERAGE_MODES)}"))
    values["coverage_mode"] = document.get("coverage_mode")
    return values, errors


def change(ctx, uow, actor: str, document: dict) -> None:
    person = uow.directory.find(actor)
    if person is None or not person.active or not person.is_admin:
        raise NotAllowed(f"{actor} may not change the workspace settings")
    values, errors = _parsed(document)
    if errors:
        raise ValidationFailed(errors)
    now, before = ctx.clock(), read(uow.session).document()
    for name in NAMES:
        row = uow.session.get(WorkspaceSetting, name)
        if row is None:
            row = WorkspaceSetting(name=name)
            uow.session.add(row)
        row.value, row.updated_by, row.updated_at = {"value": values[name]}, actor, now
    changed = sorted(n for n in NAMES if str(before[n]) != str(values[n]))
    if changed:
        auditlog.record(uow.session, SYSTEM_STREAM, "workspace_settings_changed", actor, now,
                        meta={"fields": changed, "before": {n: before[n] for n in changed},
                              "after": {n: values[n] for n in changed}})
