"""An account as the stage-1 forms see it: a form *section* read from the account (pre-fill)
and a submitted section written back to it, so nobody types the same fact twice.

Four sections, each the data key of one form: `customer` (an object: the account's profile,
criteria and leaders), `competitors`, `decision_makers` and `decision_participants` (arrays).
Only the fields the form's own schema has are read or written, so an older process version
with fewer fields never clears the newer ones. Write-back adds and updates, never removes:
a person left out of one project's decision makers is still at the account. A relationship
stage is read-only here: only the relationship ledger moves it, and a submitted row is given
the person's stage from the ledger, so the project keeps what was true when it was submitted.
Rows carry the `contact_id` / `competitor_id` they were pre-filled from; a row without a
valid one is matched by name at the account, else added.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select

from ..db.workspace import Account, Competitor, Contact
from .documents import ACCOUNT_TEXT, account_document, apply_competitor, competitor_document
from .rules import CRITERIA, DECISION_ROLES, PARTICIPANT_ROLES

SECTIONS = ("customer", "competitors", "decision_makers", "decision_participants")
ROLES_OF = {"decision_makers": DECISION_ROLES[:1], "decision_participants": PARTICIPANT_ROLES}
PERSON_FIELDS = {"name": "name", "title": "title", "department": "department",
                 "department_kind": "department_kind", "role": "decision_role", "top_executive": "top_executive"}


def _props(node: dict | None) -> dict:
    node = node or {}
    return (node.get("items") if node.get("type") == "array" else node).get("properties") or {}


def _only(row: dict, props: dict) -> dict:
    return {k: v for k, v in row.items() if k in props and v not in (None, "", [], {})}


def _contacts(session, account_id: str) -> list[Contact]:
    return list(session.scalars(select(Contact).where(Contact.account_id == account_id).order_by(Contact.name)))


# ---------------------------------------------------------------- pre-fill
def prefill(session, account: Account, section: str, node: dict | None):
    """The value of `section` as the account holds it now, shaped by the form's schema `node`."""
    props = _props(node)
    if section == "customer":
        value = account_document(session, account)
        value["leaders"] = [{"contact_id": c.id, "name": c.name, "title": c.title, "department": c.department}
                            for c in _contacts(session, account.id) if c.leader]
        value["leaders"] = [_only(row, _props(props.get("leaders"))) for row in value["leaders"]]
        return _only(value, props)
    if section == "competitors":
        rows = []
        for competitor in session.scalars(select(Competitor).where(Competitor.account_id == account.id)
                                          .order_by(Competitor.name)):
            document = competitor_document(session, competitor)
            reps = document.get("sales_reps", [])
            rep_node = props.get("sales_reps") or {}
            rows.append(_only({"competitor_id": competitor.id, "competitor": competitor.name,
                               "products_in_use": document.get("products_in_use"),
                               "customer_satisfaction": competitor.customer_satisfaction,
                               "sales_reps": [_only(r, _props(rep_node)) for r in reps]
                               if rep_node.get("type") == "array" else ", ".join(r["name"] for r in reps)}, props))
        return rows
    roles = ROLES_OF[section]
    return [_only({"contact_id": c.id, **{form: getattr(c, column) for form, column in PERSON_FIELDS.items()},
                   "relationship_stage": c.relationship_stage}, props)
            for c in _contacts(session, account.id) if c.decision_role in roles]


# ---------------------------------------------------------------- write-back
def write_back(ctx, uow, account: Account, section: str, value, node: dict | None, actor: str,
               instance_id: str) -> dict:
    """Apply a submitted section to the account; returns what changed, for the audit event."""
    props = _props(node)
    if section == "customer":
        return _customer(ctx, uow, account, value if isinstance(value, dict) else {}, props, actor, instance_id)
    rows = [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
    if section == "competitors":
        return _competitors(ctx, uow, account, rows, props)
    touched = [_person(ctx, uow, account, row, props, actor, instance_id) for row in rows if row.get("name")]
    return {"contacts": sorted(set(touched))}


def _customer(ctx, uow, account, value, props, actor, instance_id) -> dict:
    s = uow.session
    before = account_document(s, account)
    for name in ACCOUNT_TEXT:
        if name in props and name in ("name", "account_type"):
            setattr(account, name, value.get(name) or getattr(account, name))
        elif name in props:
            setattr(account, name, value.get(name) or "")
    for name in ("supporting_departments", "contact_channels"):
        if name in props:
            setattr(account, name, list(value.get(name) or []))
    if "criteria" in props:
        criteria = value.get("criteria") or {}
        for name in CRITERIA:
            if name in _props(props["criteria"]):
                setattr(account, name, criteria.get(name))
    touched = []
    if "leaders" in props:
        leader_props = _props(props["leaders"])
        kept = {_person(ctx, uow, account, row, leader_props, actor, instance_id, leader=True)
                for row in value.get("leaders") or [] if isinstance(row, dict) and row.get("name")}
        for contact in _contacts(s, account.id):
            if contact.leader and contact.id not in kept:
                contact.leader = False
        touched = sorted(kept)
    s.flush()
    after = account_document(s, account)
    fields = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {"fields": fields, "contacts": touched,
            "before": {k: before.get(k) for k in fields}, "after": {k: after.get(k) for k in fields}}


def _match(session, model, account_id: str, row_id, name: str, name_column):
    found = session.get(model, row_id) if isinstance(row_id, str) and row_id else None
    if found is not None and found.account_id == account_id:
        return found
    folded = name.casefold()
    return next((r for r in session.scalars(select(model).where(model.account_id == account_id))
                 if getattr(r, name_column).casefold() == folded), None)


def _person(ctx, uow, account, row, props, actor, instance_id, leader: bool = False) -> str:
    s = uow.session
    contact = _match(s, Contact, account.id, row.get("contact_id"), row["name"], "name")
    if contact is None:
        contact = Contact(id=str(uuid.uuid4()), account_id=account.id, name=row["name"], owner=account.owner,
                          created_at=ctx.clock())
        s.add(contact)
        s.flush()
    for form, column in PERSON_FIELDS.items():
        if form in props:
            default = False if column == "top_executive" else "" if column in ("name", "title", "department") else None
            setattr(contact, column, row.get(form, default) if form != "name" else row["name"])
    contact.leader = contact.leader or leader
    contact.updated_at = ctx.clock()
    if "relationship_stage" in props:          # read-only here: the project keeps the ledger's stage
        row.pop("relationship_stage", None)
        if contact.relationship_stage:
            row["relationship_stage"] = contact.relationship_stage
    return contact.id


def _competitors(ctx, uow, account, rows, props) -> dict:
    s = uow.session
    touched = []
    for row in rows:
        if not row.get("competitor"):
            continue
        competitor = _match(s, Competitor, account.id, row.get("competitor_id"), row["competitor"], "name")
        if competitor is None:
            competitor = Competitor(id=str(uuid.uuid4()), account_id=account.id, name=row["competitor"],
                                    created_at=ctx.clock())
            s.add(competitor)
            s.flush()
        document = competitor_document(s, competitor)
        document["name"] = row["competitor"]
        for name in ("products_in_use", "customer_satisfaction"):
            if name in props:
                document[name] = row.get(name)
        if (props.get("sales_reps") or {}).get("type") == "array":
            document["sales_reps"] = [r for r in row.get("sales_reps") or [] if isinstance(r, dict) and r.get("name")]
        apply_competitor(s, competitor, document)
        competitor.updated_at = ctx.clock()
        touched.append(competitor.id)
    return {"competitors": touched}
