"""A reviewer's one-screen decision brief, read from the answers the rep gave: the account and
its type, the deal size, the selection criteria, the decision makers by relationship stage and
the competitors. Every title and choice comes from the process's own forms, translated."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..common.history import choice_title
from ..common.i18n import form_text, list_separator
from .answers import Answer


@dataclass
class Brief:
    facts: list[tuple[str, str]] = field(default_factory=list)           # (label, text)
    scores: list[tuple[str, int]] = field(default_factory=list)          # (criterion, 1-5)
    stages: list[tuple[str, list[str]]] = field(default_factory=list)    # (stage, people)
    competitors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.facts or self.scores or self.stages or self.competitors)


def _node(schema: dict, *path: str) -> dict:
    for part in path:
        schema = (schema.get("properties") or {}).get(part) or {}
    return schema


def _title(node: dict) -> str:
    return form_text(node.get("title") or "")


def _customer(brief: Brief, schema: dict, customer: dict) -> None:
    for key in ("name", "account_type"):
        if customer.get(key):
            node = _node(schema, "customer", key)
            brief.facts.append((_title(node), choice_title(node, customer[key])))
    criteria = _node(schema, "customer", "criteria")
    for key, value in (customer.get("criteria") or {}).items():
        if isinstance(value, int):
            brief.scores.append((_title(_node(criteria, key)), value))


def _people(brief: Brief, schema: dict, key: str, people: list, current: dict[str, str]) -> None:
    stage = _node(schema, key).get("items") or {}
    stage = _node(stage, "relationship_stage")
    order = [o.get("const") for o in stage.get("oneOf") or []]
    grouped: dict[str, list[str]] = {}
    for person in people:
        if isinstance(person, dict) and person.get("name"):
            stage_now = current.get(person["name"]) or person.get("relationship_stage") or ""
            grouped.setdefault(stage_now, []).append(person["name"])
    for value in sorted(grouped, key=lambda v: order.index(v) if v in order else len(order)):
        label = choice_title(stage, value) if value else _("No stage recorded yet")
        existing = next((names for title, names in brief.stages if title == label), None)
        if existing is not None:
            existing.extend(grouped[value])
        else:
            brief.stages.append((label, grouped[value]))


def _proposal(brief: Brief, schema: dict, proposal: dict) -> None:
    amount, currency = proposal.get("expected_revenue"), proposal.get("currency")
    if isinstance(amount, (int, float)):
        brief.facts.append((_title(_node(schema, "proposal", "expected_revenue")),
                            f"{amount:,} {currency or ''}".strip()))


def decision_brief(answers: list[Answer], current_stages: dict[str, str] | None = None) -> Brief:
    """The brief from the rep's answers; a person's stage is the ledger's today (`current_stages`, by
    name) when the ledger knows them, else what the answer said."""
    brief = Brief()
    for answer in answers:
        data, schema = answer.data, answer.schema
        if isinstance(data.get("customer"), dict):
            _customer(brief, schema, data["customer"])
        if isinstance(data.get("decision_makers"), list):
            _people(brief, schema, "decision_makers", data["decision_makers"], current_stages or {})
        if isinstance(data.get("competitors"), list):
            brief.competitors += [c["competitor"] for c in data["competitors"]
                                  if isinstance(c, dict) and c.get("competitor")]
        if isinstance(data.get("proposal"), dict):
            _proposal(brief, schema, data["proposal"])
    return brief


def people_list(names: list[str]) -> str:
    return list_separator().join(names)
