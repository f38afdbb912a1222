"""The gifts and hospitality register: what was given to whom at an account, for how much,
and compliance's decision where one is needed.

A gift above the configured threshold, to a public official, or in a currency that no exchange
rate converts (so it cannot be compared) goes to compliance approval: gift and threshold are
compared in the base currency, by the rates of the day it was given. Recording
it starts the `gift_approval` process (workflows/gift_approval.bpmn) in the same unit of
work, and the review's decision is written back to the gift (approved or declined, with the
reason). A gift approval is not a project: its process declares no `accountField`.
"""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from .. import forms
from ..db.ledger import Gift
from ..db.workspace import Contact
from ..errors import FieldError, NotFound, ValidationFailed
from . import access, audit
from .currency import base_currency, in_base, rates
from .ledger_rules import needs_compliance
from .ledger_schemas import GIFT
from .ledger_views import GiftView
from .settings import read as read_settings

PROCESS_ID = "gift_approval"
DECISIONS = {"approve": "approved", "decline": "declined"}


def _value(amount: Decimal, currency: str) -> str:
    whole = amount == amount.to_integral_value()
    return f"{amount:,.0f} {currency}" if whole else f"{amount:,.2f} {currency}"


def record(ctx, uow, account_id: str, actor: str, document: dict) -> str:
    """Record a gift or hospitality; start its compliance approval when it needs one."""
    from ..usecases import instances          # the engine's start; it imports the workspace itself

    account, _person = access.editable(uow, account_id, actor)
    document = {k: v.strip() if isinstance(v, str) else v for k, v in dict(document or {}).items()}
    forms.validate(GIFT, document)
    contact = uow.session.get(Contact, document["contact_id"])
    if contact is None or contact.account_id != account.id:
        raise ValidationFailed([FieldError("$.contact_id", "choose someone at this account")])
    settings = read_settings(uow.session)
    amount = Decimal(str(document["amount"])).quantize(Decimal("0.01"))
    given_on = date.fromisoformat(document["given_on"])
    base, known = base_currency(), rates(uow.session)
    reasons = needs_compliance(in_base(amount, document["currency"], base, known, given_on),
                               bool(contact.public_official),
                               in_base(settings.gift_threshold_amount, settings.gift_threshold_currency, base, known,
                                       given_on))
    gift = Gift(id=str(uuid.uuid4()), account_id=account.id, contact_id=contact.id, recipient_name=contact.name,
                kind=document["kind"], description=document["description"],
                given_on=given_on, amount=amount, currency=document["currency"],
                status="pending" if reasons else "recorded", review_reasons=reasons, recorded_by=actor,
                recorded_at=ctx.clock())
    uow.session.add(gift)
    uow.session.flush()
    if reasons:
        gift.instance_id = instances.start(ctx, uow, PROCESS_ID, actor, {"gift_id": gift.id, "gift": {
            "recipient": contact.name, "title": contact.title or "", "account": account.name, "kind": gift.kind,
            "description": gift.description, "given_on": document["given_on"], "value": _value(amount, gift.currency),
            "threshold": _value(settings.gift_threshold_amount, settings.gift_threshold_currency),
            "public_official": "public_official" in reasons, "above_threshold": "threshold" in reasons,
            "other_currency": "other_currency" in reasons}}, by_catalog=False)
    audit.record(ctx, uow, account.id, "gift_recorded", actor,
                 meta={"gift_id": gift.id, "contact_id": contact.id, "kind": gift.kind, "amount": str(amount),
                       "currency": gift.currency, "status": gift.status, "reasons": reasons,
                       **({"instance_id": gift.instance_id} if gift.instance_id else {})},
                 payload={"description": gift.description})
    return gift.id


def decided(ctx, uow, inst, model, task_data: dict, values: dict, actor: str) -> None:
    """Write a compliance decision in a gift approval's answer back to its gift (engine hook)."""
    field = model.properties.get("giftField")
    if not field:
        return
    review = next((v for v in values.values() if isinstance(v, dict) and v.get("decision") in DECISIONS), None)
    gift = uow.session.get(Gift, task_data.get(field)) if isinstance(task_data.get(field), str) else None
    if review is None or gift is None or gift.instance_id != inst.id or gift.status != "pending":
        return
    reason = (review.get("comment") or "").strip()
    if review["decision"] == "decline" and not reason:
        key = next(k for k, v in values.items() if v is review)
        raise ValidationFailed([FieldError(f"$.{key}.comment", "say why the gift is declined")])
    gift.status, gift.decision_reason = DECISIONS[review["decision"]], reason
    gift.decided_by, gift.decided_at = actor, ctx.clock()
    audit.record(ctx, uow, gift.account_id, "gift_decided", actor,
                 meta={"gift_id": gift.id, "contact_id": gift.contact_id, "status": gift.status,
                       "instance_id": inst.id}, payload={"reason": reason} if reason else None)


def view_of(g: Gift) -> GiftView:
    return GiftView(g.id, g.account_id, g.contact_id, g.recipient_name, g.kind, g.description, g.given_on, g.amount,
                    g.currency, g.status, list(g.review_reasons or []), g.instance_id, g.decision_reason,
                    g.decided_by, g.decided_at, g.recorded_by, g.recorded_at)


def of_account(session, account_id: str) -> list[GiftView]:
    rows = session.scalars(select(Gift).where(Gift.account_id == account_id)
                           .order_by(Gift.given_on.desc(), Gift.recorded_at.desc()))
    return [view_of(g) for g in rows]


def read(uow, gift_id: str, viewer: str) -> GiftView:
    gift = uow.session.get(Gift, gift_id) if gift_id else None
    if gift is None:
        raise NotFound(f"No gift {gift_id!r}")
    access.viewable(uow, gift.account_id, viewer)
    return view_of(gift)
