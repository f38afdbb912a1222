"""Competitors present at an account (domain §5.1.2), each with its own sales reps.

Changed outside the process here (the account pages, the API) by whoever may change the
account; the project's competitor form writes back through `engine/workspace/sections.py`.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select

from .. import forms
from ..db.workspace import Competitor, CompetitorRep
from ..errors import Conflict, NotFound
from . import access, audit
from .accounts import trimmed
from .documents import apply_competitor, changes, competitor_document
from .schemas import COMPETITOR
from .views import CompetitorRepView, CompetitorView


def get_competitor(session, competitor_id: str) -> Competitor:
    competitor = session.get(Competitor, competitor_id) if competitor_id else None
    if competitor is None:
        raise NotFound(f"No competitor {competitor_id!r}")
    return competitor


def _checked(document: dict) -> dict:
    document = trimmed(document)
    forms.validate(COMPETITOR, document)
    return document


def add(ctx, uow, account_id: str, actor: str, document: dict) -> str:
    account, _person = access.editable(uow, account_id, actor)
    document = _checked(document)
    now = ctx.clock()
    competitor = Competitor(id=str(uuid.uuid4()), account_id=account.id, name=document["name"],
                            created_at=now, updated_at=now)
    uow.session.add(competitor)
    apply_competitor(uow.session, competitor, document)
    uow.session.flush()
    audit.record(ctx, uow, account.id, "competitor_added", actor, meta={"competitor_id": competitor.id},
                 payload={"after": competitor_document(uow.session, competitor)})
    return competitor.id


def change(ctx, uow, competitor_id: str, actor: str, document: dict, version: int | None = None) -> None:
    competitor = get_competitor(uow.session, competitor_id)
    access.editable(uow, competitor.account_id, actor)
    if version is not None and version != competitor.version:
        raise Conflict("Someone else changed this competitor while you were editing it")
    document = _checked(document)
    before = competitor_document(uow.session, competitor)
    apply_competitor(uow.session, competitor, document)
    competitor.updated_at = ctx.clock()
    uow.session.flush()
    names, payload = changes(before, competitor_document(uow.session, competitor))
    if names:
        audit.record(ctx, uow, competitor.account_id, "competitor_updated", actor,
                     meta={"competitor_id": competitor.id, "fields": names}, payload=payload)


def remove(ctx, uow, competitor_id: str, actor: str) -> None:
    competitor = get_competitor(uow.session, competitor_id)
    access.editable(uow, competitor.account_id, actor)
    audit.record(ctx, uow, competitor.account_id, "competitor_removed", actor,
                 meta={"competitor_id": competitor.id},
                 payload={"before": competitor_document(uow.session, competitor)})
    uow.session.delete(competitor)


def read(uow, competitor_id: str, viewer: str) -> CompetitorView:
    competitor = get_competitor(uow.session, competitor_id)
    access.viewable(uow, competitor.account_id, viewer)
    return of_account(uow.session, competitor.account_id, only=competitor.id)[0]


def of_account(session, account_id: str, only: str | None = None) -> list[CompetitorView]:
    q = select(Competitor).where(Competitor.account_id == account_id).order_by(Competitor.name)
    if only:
        q = q.where(Competitor.id == only)
    rows = list(session.scalars(q))
    reps: dict[str, list[CompetitorRepView]] = {}
    for rep in session.scalars(select(CompetitorRep).where(CompetitorRep.competitor_id.in_([c.id for c in rows]))
                               .order_by(CompetitorRep.position, CompetitorRep.id)):
        reps.setdefault(rep.competitor_id, []).append(
            CompetitorRepView(rep.name, rep.sales_approach or "", rep.relationship_with_customer or ""))
    return [CompetitorView(c.id, c.account_id, c.name, c.products_in_use or "", c.customer_satisfaction,
                           reps.get(c.id, []), c.updated_at, c.version) for c in rows]
