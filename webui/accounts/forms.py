"""The workspace's forms as the pages show them: the engine's input schemas with today's choices
of people (and contacts) added, and how each field is laid out.

The engine checks those choices itself; the choices here only make them pickable. Every form
renders with the same macro as the process forms, so it keeps every typed value on a refusal.
"""
from __future__ import annotations

import copy

from engine.workspace import schemas

from ..common.formdata import flatten

LONG = {"ui:widget": "textarea"}

PROFILE_UI = {
    "ui:order": ["name", "account_type", "industry", "business", "industry_basics", "organisation_structure",
                 "purchasing_department", "supporting_departments", "contact_channels", "similar_products_in_use",
                 "criteria", "revenues", "potential"],
    "account_type": {"ui:widget": "radio", "ui:help": "Global: a globally known chain or company. National: a "
                     "chain or company with many subsidiaries and branches. Regional: a chain or company with "
                     "large potential and influence in one region."},
    "business": LONG, "industry_basics": LONG, "organisation_structure": LONG, "similar_products_in_use": LONG,
    "supporting_departments": {"ui:widget": "textarea"},
    "contact_channels": {"items": {"ui:order": ["channel", "detail"], "channel": {"ui:widget": "select"}}},
    "criteria": {"ui:help": "Score each criterion from 1 (very weak) to 5 (very strong)."},
    "revenues": {"items": {"ui:order": ["year", "amount", "currency"]}},
}
OUR_SIDE_UI = {"ui:order": ["owner", "team", "executive_sponsor"],
               "executive_sponsor": {"ui:help": "A senior colleague whose position matches the customer's "
                                                "leaders, for meetings at their level."}}
ACCOUNT_UI = {**PROFILE_UI, **OUR_SIDE_UI, "ui:order": PROFILE_UI["ui:order"] + OUR_SIDE_UI["ui:order"]}
CONTACT_UI = {"ui:order": ["name", "title", "department", "department_kind", "decision_role", "top_executive",
                           "leader", "public_official", "reports_to_id", "owner"],
              "decision_role": {"ui:widget": "radio"}, "department_kind": {"ui:widget": "radio"}}
COMPETITOR_UI = {"ui:order": ["name", "products_in_use", "customer_satisfaction", "sales_reps"],
                 "products_in_use": LONG,
                 "customer_satisfaction": {"ui:help": "From 1 (very low) to 5 (very high)."},
                 "sales_reps": {"items": {"ui:order": ["name", "sales_approach", "relationship_with_customer"],
                                          "sales_approach": LONG, "relationship_with_customer": LONG}}}


def _options(pairs) -> list[dict]:
    return [{"const": value, "title": title} for value, title in pairs]


def with_people(schema: dict, people) -> dict:
    """`schema` with owner, team members, sponsor and successor picked from `people` (UserViews)."""
    choices = _options((u.username, f"{u.display_name} ({u.username})") for u in people)
    schema = copy.deepcopy(schema)
    props = schema["properties"]
    for name in ("owner", "executive_sponsor", "successor"):
        if name in props and choices:
            props[name]["oneOf"] = choices
    if "team" in props and choices:
        props["team"]["items"]["oneOf"] = choices
    return schema


def contact_schema(people, others) -> dict:
    """The contact form; `others` are the (id, name) of people it may report to."""
    schema = with_people(schemas.CONTACT, people)
    if others:
        schema["properties"]["reports_to_id"]["oneOf"] = _options(others)
    return schema


def values_of(schema: dict, document: dict) -> dict[str, str]:
    return flatten(schema, document)


def version_of(form) -> int | None:
    """The version the editor opened (`_version`, posted by the page), if it is a number."""
    text = form.get("_version", "")
    return int(text) if text.isdigit() and len(text) < 10 else None
