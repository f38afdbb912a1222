"""The deal size as typed and in the base currency, for the project page and the dossier.

Once the committee step began, the amount shown is the one its voting rule used (`deal_size`
in the process data); before, today's rate converts it. A currency without a rate says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from engine.views import InstanceView
from engine.workspace.currency import MissingRate

from ..common.current import engine


@dataclass(frozen=True)
class Deal:
    amount: Decimal
    currency: str
    base_amount: Decimal | None       # None: no rate for the currency
    base: str
    rate: Decimal | None
    rate_from: str | None
    used_by_voting_rule: bool


def deal_of(view: InstanceView, answers) -> Deal | None:
    project = next((a.data["project"] for a in answers if isinstance(a.data.get("project"), dict)), None)
    if not project or not isinstance(project.get("budget_amount"), (int, float)):
        return None
    amount, base = Decimal(str(project["budget_amount"])), engine().rates.base
    currency = project.get("budget_currency") or base
    if isinstance(view.data.get("deal_size"), (int, float)) and view.data.get("deal_currency"):
        used = Decimal(str(view.data["deal_size"]))
        return Deal(amount, currency, used, view.data["deal_currency"], None, None, True)
    try:
        conversion = engine().rates.convert(amount, currency)
    except MissingRate:
        return Deal(amount, currency, None, base, None, None, False)
    return Deal(amount, currency, conversion.base_amount, base, conversion.rate,
                conversion.rate_from.isoformat() if conversion.rate_from else None, False)


@dataclass(frozen=True)
class Authorised:
    ceiling: Decimal | None
    currency: str
    valid_until: date | None
    expired: bool


def authorised_of(view: InstanceView, today: date) -> Authorised | None:
    """The authorised budget ceiling and how long it holds, once the chair authorised the project."""
    record = view.data.get("authorisation") if view.outcome == "established" else None
    if not isinstance(record, dict):
        return None
    ceiling = record.get("budget_ceiling") or {}
    amount = ceiling.get("amount")
    try:
        until = date.fromisoformat(record.get("valid_until") or "")
    except ValueError:
        until = None
    return Authorised(Decimal(str(amount)) if isinstance(amount, (int, float)) else None,
                      ceiling.get("currency") or "", until, until is not None and until < today)
