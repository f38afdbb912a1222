"""Report (f): relationship coverage - per account in view, its contacts by relationship stage,
the decision makers still at acquaintance (認識) and the contacts going cold (the ledger's rule,
`engine.workspace.ledger.cold`); and the activities each rep recorded per month. The period
selects activities by the day they happened; the account filters select the accounts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Date, func, literal, or_, select

from ..db.ledger import Activity
from ..db.workspace import Account, Contact
from ..workspace import ledger
from ..workspace.rules import STAGES
from ..workspace.settings import read as read_settings
from . import scope
from .filters import Filters

NO_STAGE = ""


@dataclass
class AccountCoverage:
    account_id: str
    name: str
    owner: str
    stages: dict[str, int] = field(default_factory=dict)     # stage (or "" for none yet) -> contacts
    makers_at_acquaintance: list[str] = field(default_factory=list)
    going_cold: int = 0
    activities: int = 0


@dataclass(frozen=True)
class Coverage:
    accounts: list[AccountCoverage]                           # fewest contacts past acquaintance first
    activity: list[tuple[str, str, int]]                      # (rep, "YYYY-MM", activities), by month then rep


def _month(dialect: str, day):
    return func.to_char(day, "YYYY-MM") if dialect == "postgresql" else func.strftime("%Y-%m", day)


def coverage(ctx, uow, username: str, filters: Filters) -> Coverage:
    """Counted in the database (GROUP BYs over the accounts in view, as a subquery): the rows
    that come back are per account and per rep and month, never per contact or activity."""
    s, dialect = uow.session, uow.session.bind.dialect.name
    person = scope.viewer(uow, username)
    in_view = scope.accounts_where(uow, person, filters)
    visible = select(Account.id).where(*in_view)
    everything = scope.sees_every_account(person, filters)

    def of_view(column) -> list:
        """`column IN (the accounts in view)`, or nothing when the view holds every account."""
        return [] if everything else [column.in_(visible)]
    rows = {i: AccountCoverage(i, name, owner, {stage: 0 for stage in (NO_STAGE, *STAGES)})
            for i, name, owner in s.execute(select(Account.id, Account.name, Account.owner).where(*in_view))}
    for account_id, stage, count in s.execute(
            select(Contact.account_id, Contact.relationship_stage, func.count())
            .where(*of_view(Contact.account_id)).group_by(Contact.account_id, Contact.relationship_stage)):
        stages = rows[account_id].stages
        stages[stage or NO_STAGE] = stages.get(stage or NO_STAGE, 0) + count
    for account_id, name in s.execute(select(Contact.account_id, Contact.name).where(
            *of_view(Contact.account_id), Contact.decision_role == "decision_maker",
            or_(Contact.relationship_stage.is_(None), Contact.relationship_stage == STAGES[0]))):
        rows[account_id].makers_at_acquaintance.append(name)
    for account_id, count in s.execute(_going_cold(ctx, s, of_view)):
        rows[account_id].going_cold = count
    in_period = of_view(Activity.account_id)
    if filters.since:
        in_period.append(Activity.occurred_on >= filters.since)
    if filters.until:
        in_period.append(Activity.occurred_on <= filters.until)
    for account_id, count in s.execute(select(Activity.account_id, func.count()).where(*in_period)
                                       .group_by(Activity.account_id)):
        rows[account_id].activities = count
    month = _month(dialect, Activity.occurred_on)
    activity = [(rep or "", str(when), count) for rep, when, count in s.execute(
        select(Activity.recorded_by, month, func.count()).where(*in_period).group_by(Activity.recorded_by, month))]
    ordered = sorted(rows.values(), key=lambda r: (sum(n for st, n in r.stages.items() if st not in (NO_STAGE, STAGES[0])),
                                                   -len(r.makers_at_acquaintance), r.name))
    return Coverage(ordered, sorted(activity, key=lambda t: (t[1], t[0])))


def _going_cold(ctx, s, of_view):
    """Per account, its contacts going cold: the ledger's rule (`ledger_rules.going_cold`: no
    activity for more than the configured days, counted from when they were added if never)."""
    days, today = read_settings(s).going_cold_days, ledger.today(ctx)
    last = (select(Activity.contact_id, func.max(Activity.occurred_on).label("day"))
            .where(*of_view(Activity.account_id)).group_by(Activity.contact_id).subquery())
    quiet_since = func.coalesce(last.c.day, func.date(Contact.created_at), type_=Date)
    return (select(Contact.account_id, func.count()).outerjoin(last, last.c.contact_id == Contact.id)
            .where(*of_view(Contact.account_id), quiet_since < literal(today - timedelta(days=days), Date))
            .group_by(Contact.account_id))
