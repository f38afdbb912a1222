"""Reading accounts: the list (search, filters, tiers, pages) and one account's whole page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from .. import auditlog, text
from ..errors import NotAllowed
from ..db.schema import Attachment, AuditEvent, Instance
from ..db.workspace import Account, AccountRevenue
from . import access, competitors, contacts, handover
from .documents import account_document
from .rules import CRITERIA, Revenue, qualification_score
from .tiers import company_tiers
from .views import (AccountEvent, AccountFile, AccountProject, AccountSummary, AccountView, Money,
                    RevenueYear)


@dataclass(frozen=True)
class AccountPage:
    """One page of the account list and how many accounts match in all."""

    accounts: list[AccountSummary]
    total: int


def _revenues(session, account_ids: list[str] | None = None) -> list[Revenue]:
    q = select(AccountRevenue)
    if account_ids is not None:
        q = q.where(AccountRevenue.account_id.in_(account_ids))
    return [Revenue(r.account_id, r.year, r.amount, r.currency) for r in session.scalars(q)]


def _latest(revenues: list[Revenue], account_id: str) -> RevenueYear | None:
    own = [r for r in revenues if r.account_id == account_id]
    top = max(own, key=lambda r: r.year, default=None)
    return RevenueYear(top.year, top.amount, top.currency) if top else None


def _criteria(account: Account) -> dict[str, int | None]:
    return {name: getattr(account, name) for name in CRITERIA}


def list_accounts(uow, viewer: str, search: str | None = None, account_type: str | None = None,
                  owner: str | None = None, tier: str | None = None, limit: int = 20,
                  offset: int = 0, today: date | None = None) -> AccountPage:
    """The accounts `viewer` may see, by name, filtered; tiers need all revenue, so the tier
    filter picks ids first and the page is cut in the database."""
    text.require(*(text.field_error(f"$.{name}", value, text.LIMITS[limit]) for name, value, limit in (
        ("search", search, "search"), ("owner", owner, "username"), ("type", account_type, "search"),
        ("tier", tier, "search")) if value))     # refused with its name, never sent to the database
    s = uow.session
    q = select(Account).where(access.visible_filter(uow, uow.directory.find(viewer)))
    if search:
        like = f"%{search}%"
        q = q.where(Account.name.ilike(like) | Account.industry.ilike(like))
    if account_type:
        q = q.where(Account.account_type == account_type)
    if owner:
        q = q.where(Account.owner == owner)
    tier_of = company_tiers(s, today or date.today())
    if tier:
        q = q.where(Account.id.in_([i for i, t in tier_of.items() if t == tier]))
    total = s.scalar(select(func.count()).select_from(q.order_by(None).subquery()))
    rows = list(s.scalars(q.order_by(Account.name, Account.id).offset(offset).limit(limit)))
    revenues = _revenues(s, [a.id for a in rows])
    return AccountPage([AccountSummary(a.id, a.name, a.account_type, a.industry or "", a.owner,
                                       tier_of.get(a.id, "C"), qualification_score(_criteria(a)),
                                       _latest(revenues, a.id), a.updated_at) for a in rows], total)


def editable_accounts(uow, username: str) -> list[tuple[str, str]]:
    """(id, name) of the accounts `username` may change: where a project may be started."""
    person = uow.directory.find(username)
    rows = uow.session.execute(select(Account).where(access.visible_filter(uow, person)).order_by(Account.name))
    return [(a.id, a.name) for (a,) in rows if access.may_edit(uow, a, person)]


def _projects(session, account_id: str) -> list[AccountProject]:
    rows = session.scalars(select(Instance).where(Instance.account_id == account_id)
                           .order_by(Instance.created_at.desc()))
    return [AccountProject(i.id, i.number, i.project_name, i.owner, i.status, i.outcome, i.stage, i.updated_at)
            for i in rows]


def _files(session, account_id: str) -> list[AccountFile]:
    rows = session.execute(select(Attachment.id, Attachment.instance_id, Instance.project_name, Attachment.filename,
                                  Attachment.size, Attachment.uploaded_by, Attachment.created_at)
                           .join(Instance, Instance.id == Attachment.instance_id)
                           .where(Instance.account_id == account_id).order_by(Attachment.created_at.desc()))
    return [AccountFile(*row) for row in rows]


def timeline(session, account_id: str) -> list[AccountEvent]:
    """The account's audit stream, newest first, with the payloads still readable."""
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.stream == auditlog.account_stream(account_id))
                                  .order_by(AuditEvent.seq.desc())))
    payloads = auditlog.payloads(session, [e.id for e in events])
    return [AccountEvent(e.id, e.at, e.actor, e.kind, dict(e.meta or {}), payloads.get(e.id, {})) for e in events]


def read(uow, account_id: str, viewer: str, today: date | None = None) -> AccountView:
    s = uow.session
    account, person = access.viewable(uow, account_id, viewer)
    document = account_document(s, account)
    potential = document.get("potential")
    return AccountView(
        id=account.id, name=account.name, account_type=account.account_type, industry=account.industry or "",
        business=account.business or "", industry_basics=account.industry_basics or "",
        organisation_structure=account.organisation_structure or "",
        purchasing_department=account.purchasing_department or "",
        supporting_departments=document.get("supporting_departments", []),
        contact_channels=document.get("contact_channels", []),
        similar_products_in_use=account.similar_products_in_use or "", criteria=_criteria(account),
        qualification_score=qualification_score(_criteria(account)),
        tier=company_tiers(s, today or date.today()).get(account.id, "C"),
        potential=Money(account.potential_amount, account.potential_currency) if potential else None,
        revenues=[RevenueYear(r.year, r.amount, r.currency) for r in sorted(
            _revenues(s, [account.id]), key=lambda r: -r.year)],
        owner=account.owner, team=document.get("team", []), executive_sponsor=account.executive_sponsor,
        created_at=account.created_at, updated_at=account.updated_at, version=account.version,
        may_edit=access.may_edit(uow, account, person), may_manage=access.may_manage(account, person),
        may_hand_over=handover.may_hand_over(uow, account.owner, person),
        contacts=contacts.of_account(s, account.id), competitors=competitors.of_account(s, account.id),
        projects=_projects(s, account.id), files=_files(s, account.id), timeline=timeline(s, account.id))


def document(uow, account_id: str, editor: str, our_side: bool = False) -> tuple[dict, int]:
    """The account as an edit form opens (for someone who may save it), and its version."""
    account, person = access.editable(uow, account_id, editor)
    if our_side and not access.may_manage(account, person):
        raise NotAllowed(f"{editor} may not change who looks after this account")
    return account_document(uow.session, account), account.version
