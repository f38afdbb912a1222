"""The workspace's codes in the page's language, and amounts of money, for every template."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _

from .timeline import stage_label


def account_type_label(code: str | None) -> str:
    return {"global": _("Global"), "national": _("National"), "regional": _("Regional")}.get(code or "", code or "")


def tier_label(tier: str) -> str:
    return {"A": _("Tier A"), "B": _("Tier B"), "C": _("Tier C")}.get(tier, tier)


def role_label(role: str | None) -> str:
    return {"decision_maker": _("Decision maker"), "influencer": _("Influencer"), "user": _("User"),
            "gatekeeper": _("Gatekeeper")}.get(role or "", role or "")


def department_kind_label(kind: str | None) -> str:
    return {"purchasing": _("Purchasing department"), "supporting": _("Supporting department")}.get(kind or "", "")


def channel_label(channel: str | None) -> str:
    return {"phone": _("Phone"), "email": _("Email"), "visit": _("Visit"), "messaging": _("Messaging app"),
            "other": _("Other")}.get(channel or "", channel or "")


def criterion_label(name: str) -> str:
    return {"sales_volume": _("Sales volume or potential"),
            "technology_absorption": _("Ability to absorb technology and innovate"),
            "market_strength": _("Market-development strength"),
            "financial_health": _("Financial health")}.get(name, name)


def money(amount: Decimal | None, currency: str | None) -> str:
    """"2,500,000 TWD": digits grouped, cents only when there are any."""
    if amount is None:
        return "—"
    whole = amount == amount.to_integral_value()
    return f"{format_decimal(amount, format='#,##0' if whole else '#,##0.00')} {currency or ''}".strip()


LABELS = {f.__name__: f for f in (account_type_label, tier_label, role_label, department_kind_label,
                                  channel_label, criterion_label, stage_label, money)}
