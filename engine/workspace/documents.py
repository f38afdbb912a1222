"""Rows <-> the documents the input schemas describe, and what changed between two of them.

One place turns an account (or contact, or competitor) into the document its form shows and
applies a checked document back, so the edit page, the use cases and the audit trail agree.
Empty values are left out of a document, as a form leaves out a blank field.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select

from ..db.workspace import Account, AccountRevenue, AccountTeamMember, Competitor, CompetitorRep, Contact
from . import base_amounts
from .rules import CRITERIA

ACCOUNT_TEXT = ("name", "account_type", "industry", "business", "industry_basics", "organisation_structure",
                "purchasing_department", "similar_products_in_use")
CONTACT_TEXT = ("name", "title", "department", "department_kind", "decision_role", "reports_to_id", "owner")
OUR_SIDE = ("owner", "team", "executive_sponsor")


def _number(value: Decimal) -> int | float:
    """A stored amount as JSON: whole amounts as integers (so a form shows 2500000, not 2500000.00)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _kept(document: dict) -> dict:
    return {k: v for k, v in document.items() if v not in (None, "", [], {})}


def account_document(session, account: Account) -> dict:
    revenues = session.scalars(select(AccountRevenue).where(AccountRevenue.account_id == account.id)
                               .order_by(AccountRevenue.year.desc()))
    team = session.scalars(select(AccountTeamMember.username).where(AccountTeamMember.account_id == account.id)
                           .order_by(AccountTeamMember.username))
    document = {name: getattr(account, name) for name in ACCOUNT_TEXT}
    document.update(
        supporting_departments=list(account.supporting_departments or []),
        contact_channels=[dict(c) for c in account.contact_channels or []],
        criteria=_kept({name: getattr(account, name) for name in CRITERIA}),
        potential={"amount": _number(account.potential_amount), "currency": account.potential_currency}
        if account.potential_amount is not None else None,
        revenues=[{"year": r.year, "amount": _number(r.amount), "currency": r.currency} for r in revenues],
        owner=account.owner, team=list(team), executive_sponsor=account.executive_sponsor)
    return _kept(document)


def apply_profile(session, account: Account, document: dict, today: date) -> None:
    """Set the account's profile (everything but our side) from a checked document; its revenue
    rows keep their amounts in the base currency as of `today`."""
    for name in ACCOUNT_TEXT:
        setattr(account, name, document.get(name) or "")
    account.supporting_departments = list(document.get("supporting_departments") or [])
    account.contact_channels = [dict(c) for c in document.get("contact_channels") or []]
    criteria = document.get("criteria") or {}
    for name in CRITERIA:
        setattr(account, name, criteria.get(name))
    potential = document.get("potential")
    account.potential_amount = Decimal(str(potential["amount"])) if potential else None
    account.potential_currency = potential["currency"] if potential else None
    session.flush()
    session.execute(delete(AccountRevenue).where(AccountRevenue.account_id == account.id))
    session.add_all(AccountRevenue(account_id=account.id, year=r["year"], amount=Decimal(str(r["amount"])),
                                   currency=r["currency"]) for r in document.get("revenues") or [])
    base_amounts.keep(session, today, account_id=account.id)


def apply_our_side(session, account: Account, document: dict) -> None:
    """Owner, team and executive sponsor from a checked document (the owner is not on the team)."""
    account.owner = document.get("owner") or account.owner
    account.executive_sponsor = document.get("executive_sponsor")
    session.flush()
    session.execute(delete(AccountTeamMember).where(AccountTeamMember.account_id == account.id))
    session.add_all(AccountTeamMember(account_id=account.id, username=u)
                    for u in dict.fromkeys(document.get("team") or []) if u != account.owner)


def contact_document(contact: Contact) -> dict:
    document = {name: getattr(contact, name) for name in CONTACT_TEXT}
    document.update(top_executive=contact.top_executive, leader=contact.leader,
                    public_official=bool(contact.public_official))
    return {k: v for k, v in document.items() if v not in (None, "")}


def apply_contact(contact: Contact, document: dict) -> None:
    for name in CONTACT_TEXT:
        default = "" if name in ("name", "title", "department") else None
        setattr(contact, name, document.get(name) or default)
    contact.top_executive = bool(document.get("top_executive"))
    contact.leader = bool(document.get("leader"))
    contact.public_official = bool(document.get("public_official"))


def competitor_document(session, competitor: Competitor) -> dict:
    reps = session.scalars(select(CompetitorRep).where(CompetitorRep.competitor_id == competitor.id)
                           .order_by(CompetitorRep.position, CompetitorRep.id))
    return _kept({"name": competitor.name, "products_in_use": competitor.products_in_use,
                  "customer_satisfaction": competitor.customer_satisfaction,
                  "sales_reps": [_kept({"name": r.name, "sales_approach": r.sales_approach,
                                        "relationship_with_customer": r.relationship_with_customer})
                                 for r in reps]})


def apply_competitor(session, competitor: Competitor, document: dict) -> None:
    competitor.name = document["name"]
    competitor.products_in_use = document.get("products_in_use") or ""
    competitor.customer_satisfaction = document.get("customer_satisfaction")
    session.flush()
    session.execute(delete(CompetitorRep).where(CompetitorRep.competitor_id == competitor.id))
    session.add_all(CompetitorRep(competitor_id=competitor.id, position=i, name=rep["name"],
                                  sales_approach=rep.get("sales_approach") or "",
                                  relationship_with_customer=rep.get("relationship_with_customer") or "")
                    for i, rep in enumerate(document.get("sales_reps") or []))


def changes(before: dict, after: dict) -> tuple[list[str], dict]:
    """The changed field names and a payload of their values before and after."""
    names = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return names, {"before": {k: before.get(k) for k in names}, "after": {k: after.get(k) for k in names}}
