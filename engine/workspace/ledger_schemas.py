"""What the relationship ledger accepts, as JSON Schema: an activity, a change of stage, a
target stage and a gift. Validated by the engine's one form validator, so errors name fields
as everywhere else; text limits come from the columns."""
from __future__ import annotations

from ..db.ledger import Activity, Gift
from ..db.workspace import ContactStageChange
from .ledger_rules import ACTIVITY_KINDS, GIFT_KINDS
from .rules import CURRENCIES, STAGES
from .schemas import MAX_AMOUNT, choice, limit, text

KIND_TITLES = {
    "phone_contact": "Phone contact", "scheduled_visit": "Scheduled visit", "small_gift": "Small gift",
    "business_meal": "Business meal or event", "reference_visit": "Visit to a local reference customer",
    "technical_exchange": "Technical exchange", "test_and_samples": "Tests and samples",
    "social_event": "Social event", "family_activity": "Family activity", "out_of_town_visit": "Out-of-town visit",
    "valuable_gift": "Valuable gift", "introductions": "Introductions (穿針引線)",
    "internal_guide": "Acts as our guide (internal information)", "firm_support": "Firm support",
    "other": "Other",
}
STAGE_TITLES = {"acquaintance": "Acquaintance", "engagement": "Engagement", "trust": "Trust", "alliance": "Alliance"}
GIFT_TITLES = {"gift": "Gift", "hospitality": "Hospitality"}


def _choice(values, titles: dict, title: str) -> dict:
    return {"type": "string", "title": title, "oneOf": [{"const": v, "title": titles[v]} for v in values]}


def _date(title: str) -> dict:
    return {"type": "string", "title": title, "format": "date", "maxLength": 10}


ACTIVITY = {
    "type": "object", "title": "Activity",
    "properties": {
        "kind": _choice(ACTIVITY_KINDS, KIND_TITLES, "What was done"),
        "occurred_on": _date("Date"),
        "notes": text(Activity.notes, "Notes"),
    },
    "required": ["kind", "occurred_on"],
    "additionalProperties": False,
}

STAGE_CHANGE = {
    "type": "object", "title": "Change of relationship stage",
    "properties": {
        "stage": _choice(STAGES, STAGE_TITLES, "New stage"),
        "reason": text(ContactStageChange.reason, "Reason"),
    },
    "required": ["stage"],
    "additionalProperties": False,
}

TARGET = {
    "type": "object", "title": "Target stage",
    "properties": {
        "stage": _choice(STAGES, STAGE_TITLES, "Target stage"),
        "due_on": _date("Reach it by"),
    },
    "required": ["stage", "due_on"],
    "additionalProperties": False,
}

GIFT = {
    "type": "object", "title": "Gift or hospitality",
    "properties": {
        "contact_id": {"type": "string", "title": "Recipient", "maxLength": limit(Gift.contact_id)},
        "kind": _choice(GIFT_KINDS, GIFT_TITLES, "Gift or hospitality"),
        "description": text(Gift.description, "What was given", True),
        "given_on": _date("Date"),
        "amount": {"type": "number", "title": "Value", "minimum": 0, "maximum": MAX_AMOUNT},
        "currency": choice(CURRENCIES, "Currency"),
    },
    "required": ["contact_id", "kind", "description", "given_on", "amount", "currency"],
    "additionalProperties": False,
}
