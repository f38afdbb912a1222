"""The ledger's forms as the pages show them: the engine's schemas with today's choices of
people at the account added, and how each field is laid out."""
from __future__ import annotations

import copy

from engine.workspace import ledger_schemas
from engine.workspace.views import AccountView

LONG = {"ui:widget": "textarea"}
ACTIVITY_UI = {"ui:order": ["contact_id", "kind", "occurred_on", "notes"], "contact_id": {"ui:widget": "select"},
               "kind": {"ui:widget": "select"}, "occurred_on": {"ui:widget": "date"}, "notes": LONG}
STAGE_UI = {"ui:order": ["stage", "reason"], "stage": {"ui:widget": "radio"}, "reason": LONG}
TARGET_UI = {"ui:order": ["stage", "due_on"], "stage": {"ui:widget": "radio"}, "due_on": {"ui:widget": "date"}}
GIFT_UI = {"ui:order": ["contact_id", "kind", "description", "given_on", "amount", "currency"],
           "contact_id": {"ui:widget": "select"}, "kind": {"ui:widget": "radio"}, "description": LONG,
           "given_on": {"ui:widget": "date"}, "currency": {"ui:widget": "select"}}
SETTINGS = {
    "type": "object", "title": "Relationship ledger settings",
    "properties": {
        "going_cold_days": {"type": "integer", "title": "Days without activity before a person is going cold",
                            "minimum": 1, "maximum": 3650},
        "gift_threshold_amount": {"type": "number", "title": "Gift value above which compliance approves",
                                  "minimum": 0},
        "gift_threshold_currency": copy.deepcopy(ledger_schemas.GIFT["properties"]["currency"]),
        "coverage_mode": {"type": "string", "title": "When no decision maker is beyond acquaintance at the proposal",
                          "oneOf": [{"const": "warn", "title": "Warn"}, {"const": "block", "title": "Block"}]},
    },
    "required": ["going_cold_days", "gift_threshold_amount", "gift_threshold_currency", "coverage_mode"],
    "additionalProperties": False,
}
SETTINGS_UI = {"ui:order": list(SETTINGS["properties"]), "coverage_mode": {"ui:widget": "radio"},
               "gift_threshold_currency": {"ui:widget": "select"}}


def _people(view: AccountView, only=None) -> list[dict]:
    return [{"const": c.id, "title": c.name + (f" ({c.title})" if c.title else "")}
            for c in view.contacts if only is None or only(c)]


def with_contacts(schema: dict, view: AccountView) -> dict:
    """`schema` with its `contact_id` picked from the account's people (added when missing)."""
    schema = copy.deepcopy(schema)
    node = schema["properties"].get("contact_id") or {"type": "string", "title": "Person", "maxLength": 36}
    schema["properties"] = {"contact_id": {**node, "oneOf": _people(view)} if view.contacts else node,
                            **{k: v for k, v in schema["properties"].items() if k != "contact_id"}}
    schema["required"] = sorted(set(schema.get("required", [])) | {"contact_id"})
    return schema
