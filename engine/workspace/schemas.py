"""What an account, a contact and a competitor presence accept, as JSON Schema.

The same documents the web forms post and the engine's use cases take; validated by the
engine's one form validator (`engine.forms.validate`), so errors name fields the same way
as in process forms. Every text limit is read from its column, never typed twice.
Choices of people (owner, team, sponsor, reports-to) are checked by the use cases against
the directory and the account, since they change as people come and go.
"""
from __future__ import annotations

from ..db.schema import User
from ..db.workspace import Account, Competitor, CompetitorRep, Contact
from .rules import ACCOUNT_TYPES, CHANNELS, CRITERIA, CURRENCIES, DECISION_ROLES, DEPARTMENT_KINDS

MAX_AMOUNT = 10 ** 15         # fits Numeric(18, 2) with room to spare
TITLES = {
    "global": "Global", "national": "National", "regional": "Regional",
    "purchasing": "Purchasing department", "supporting": "Supporting department",
    "decision_maker": "Decision maker", "influencer": "Influencer", "user": "User", "gatekeeper": "Gatekeeper",
    "phone": "Phone", "email": "Email", "visit": "Visit", "messaging": "Messaging app", "other": "Other",
    "TWD": "New Taiwan dollar (TWD)", "USD": "US dollar (USD)", "CNY": "Chinese yuan (CNY)",
    "EUR": "Euro (EUR)", "JPY": "Japanese yen (JPY)",
}
CRITERIA_TITLES = {"sales_volume": "Sales volume or potential",
                   "technology_absorption": "Ability to absorb technology and innovate",
                   "market_strength": "Market-development strength", "financial_health": "Financial health"}


def limit(column) -> int:
    """The declared size of a String column (`Account.name`)."""
    return column.type.length


def text(column, title: str, required_text: bool = False, **more) -> dict:
    node = {"type": "string", "title": title, "maxLength": limit(column), **more}
    if required_text:
        node["pattern"] = r"\S"
    return node


def choice(values, title: str) -> dict:
    return {"type": "string", "title": title, "oneOf": [{"const": v, "title": TITLES[v]} for v in values]}


def score(title: str) -> dict:
    return {"type": "integer", "title": title, "minimum": 1, "maximum": 5}


def money(title: str) -> dict:
    return {"type": "object", "title": title, "properties": {
        "amount": {"type": "number", "title": "Amount", "minimum": 0, "maximum": MAX_AMOUNT},
        "currency": choice(CURRENCIES, "Currency")}, "required": ["amount", "currency"],
        "additionalProperties": False}


def username(title: str) -> dict:
    return {"type": "string", "title": title, "maxLength": limit(User.username)}


PROFILE = {
    "type": "object", "title": "Account",
    "properties": {
        "name": text(Account.name, "Customer name", True),
        "account_type": choice(ACCOUNT_TYPES, "Key-account type"),
        "industry": text(Account.industry, "Industry"),
        "business": text(Account.business, "Customer's business"),
        "industry_basics": text(Account.industry_basics, "Basics of the customer's industry"),
        "organisation_structure": text(Account.organisation_structure, "Organisation structure"),
        "purchasing_department": text(Account.purchasing_department, "Purchasing department"),
        "supporting_departments": {"type": "array", "title": "Supporting departments", "uniqueItems": True,
                                   "items": text(Account.purchasing_department, "Department")},
        "contact_channels": {"type": "array", "title": "Contact channels", "items": {
            "type": "object", "title": "Contact channel", "required": ["channel"], "additionalProperties": False,
            "properties": {"channel": choice(CHANNELS, "Channel"),
                           "detail": text(Account.purchasing_department, "Details")}}},
        "similar_products_in_use": text(Account.similar_products_in_use, "Similar products in use"),
        "criteria": {"type": "object", "title": "Key-account criteria", "additionalProperties": False,
                     "properties": {name: score(CRITERIA_TITLES[name]) for name in CRITERIA}},
        "potential": money("Sales potential"),
        "revenues": {"type": "array", "title": "Revenue with us per year", "items": {
            "type": "object", "title": "Year", "required": ["year", "amount", "currency"],
            "additionalProperties": False, "properties": {
                "year": {"type": "integer", "title": "Year", "minimum": 1900, "maximum": 2200},
                "amount": {"type": "number", "title": "Amount", "minimum": 0, "maximum": MAX_AMOUNT},
                "currency": choice(CURRENCIES, "Currency")}}},
    },
    "required": ["name", "account_type"],
    "additionalProperties": False,
}

OUR_SIDE = {
    "type": "object", "title": "Our side",
    "properties": {
        "owner": username("Owner"),
        "team": {"type": "array", "title": "Account team", "uniqueItems": True, "items": username("Team member")},
        "executive_sponsor": username("Executive sponsor"),
    },
    "required": ["owner"],
    "additionalProperties": False,
}

# A new account: its profile, and optionally our side (the creator owns it unless it says otherwise).
ACCOUNT = {**PROFILE, "properties": {**PROFILE["properties"], **OUR_SIDE["properties"]}}

CONTACT = {
    "type": "object", "title": "Contact",
    "properties": {
        "name": text(Contact.name, "Name", True),
        "title": text(Contact.title, "Job title"),
        "department": text(Contact.department, "Department"),
        "department_kind": choice(DEPARTMENT_KINDS, "Department kind"),
        "decision_role": choice(DECISION_ROLES, "Role in the decision"),
        "top_executive": {"type": "boolean", "title": "Senior leader who takes part in the final decision"},
        "leader": {"type": "boolean", "title": "Among the account's managers and senior leaders"},
        "public_official": {"type": "boolean", "title": "Public official",
                            "description": "Gifts and hospitality to a public official always need compliance approval."},
        "reports_to_id": {"type": "string", "title": "Reports to", "maxLength": limit(Contact.id)},
        "owner": username("Looked after by"),
    },
    "required": ["name"],
    "additionalProperties": False,
}

COMPETITOR = {
    "type": "object", "title": "Competitor",
    "properties": {
        "name": text(Competitor.name, "Competitor name", True),
        "products_in_use": text(Competitor.products_in_use, "Their products in use"),
        "customer_satisfaction": score("Customer satisfaction"),
        "sales_reps": {"type": "array", "title": "Their sales representatives", "items": {
            "type": "object", "title": "Sales representative", "required": ["name"], "additionalProperties": False,
            "properties": {
                "name": text(CompetitorRep.name, "Name", True),
                "sales_approach": text(CompetitorRep.sales_approach, "How they sell"),
                "relationship_with_customer": text(CompetitorRep.relationship_with_customer,
                                                   "Their relationship with the customer")}}},
    },
    "required": ["name"],
    "additionalProperties": False,
}
