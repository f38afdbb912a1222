"""Report (f): relationship coverage - per account in view, its contacts by relationship stage,
the decision makers still at acquaintance (認識) and the contacts going cold (the ledger's rule,
`engine.workspace.ledger.cold`); and the activities each rep recorded per month. The period
selects activities by the day they happened; the account filters select the accounts."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Date, DateTime, case, cast, func, literal, or_, select

from ..db.ledger import Activity
from ..db.workspace import Account, Contact
from ..workspace import ledger
from ..workspace.rules import STAGES
from ..workspace.settings import read as read_settings
from . import scope
from .filters import Filters
from .plain_rows import PlainRows

NO_STAGE = ""
COLUMNS = (NO_STAGE, *STAGES)                                  # the stage columns, in the table's order


@dataclass
class AccountCoverage:
    account_id: str
    name: str
    owner: str
    stages: dict[str, int] = field(default_factory=dict)     # stage (or "" for none yet) -> contacts
    makers_at_acquaintance: list[str] = field(default_factory=list)
    going_cold: int = 0
    activities: int = 0

    @classmethod
    def named(cls, row: tuple) -> AccountCoverage:
        """A plain row (id, name, owner, stage counts, makers, going cold, activities) named."""
        account_id, name, owner, stages, makers, cold, activities = row
        return cls(account_id, name, owner, dict(zip(COLUMNS, stages)), list(makers), cold, activities)


@dataclass(frozen=True)
class Coverage:
    accounts: Sequence[AccountCoverage]                       # fewest contacts past acquaintance first; kept plain
    activity: list[tuple[str, str, int]]                      # (rep, "YYYY-MM", activities), by month then rep


def _activity_by_month(s, dialect: str, in_period: list) -> list[tuple[str, str, int]]:
    """(rep, "YYYY-MM", activities), by month then rep. Grouped by the day's month as each database
    has it cheapest: SQLite by the first seven characters of its ISO date text (strftime costs
    twice the scan), PostgreSQL by `date_trunc` of the day as a plain timestamp, the month
    formatted here (to_char costs a third more, a time zone's date_trunc a quarter)."""
    day = Activity.occurred_on
    month = func.date_trunc("month", cast(day, DateTime)) if dialect == "postgresql" else func.substr(day, 1, 7)
    rows = s.execute(select(Activity.recorded_by, month, func.count()).where(*in_period)
                     .group_by(Activity.recorded_by, month)).all()
    activity = [(rep or "", when if isinstance(when, str) else when.strftime("%Y-%m"), count)
                for rep, when, count in rows]
    return sorted(activity, key=lambda t: (t[1], t[0]))


def coverage(ctx, uow, username: str, filters: Filters) -> Coverage:
    """Counted in the database, in statements each read from an index alone: the accounts in view,
    their contacts by stage and going cold (one pass over `ix_contacts_coverage`, 0036), their
    activities in the period, the makers at acquaintance, and the activities per rep and month.
    The parts are joined here by account: joined in one statement, SQLite built an index over
    each grouped part first (the committee's 10,000 accounts: 215 ms against 95). The account
    rows are kept plain tuples (`plain_rows`): ten thousand row objects held through a call cost
    the committee full collections."""
    s, dialect = uow.session.connection(), uow.session.bind.dialect.name
    person = scope.viewer(uow, username)
    in_view = scope.accounts_where(uow, person, filters)
    visible = select(Account.id).where(*in_view)
    everything = scope.sees_every_account(person, filters)

    def of_view(column) -> list:
        """`column IN (the accounts in view)`, or nothing when the view holds every account."""
        return [] if everything else [column.in_(visible)]
    makers: dict[str, list[str]] = {}
    for account_id, name in s.execute(select(Contact.account_id, Contact.name).where(
            *of_view(Contact.account_id), Contact.decision_role == "decision_maker",
            or_(Contact.relationship_stage.is_(None), Contact.relationship_stage == STAGES[0]))).all():
        makers.setdefault(account_id, []).append(name)
    in_period = of_view(Activity.account_id)
    if filters.since:
        in_period.append(Activity.occurred_on >= filters.since)
    if filters.until:
        in_period.append(Activity.occurred_on <= filters.until)
    per_account = s.execute(_contacts_per_account(ctx, uow, of_view, everything)).all()
    contacts = {row[0]: row[1:] for row in per_account}
    active = dict(s.execute(select(Activity.account_id, func.count()).where(*in_period)
                            .group_by(Activity.account_id)).all())
    none, rows, stages = (0,) * (len(COLUMNS) + 1), [], len(COLUMNS)
    for account_id, name, owner in s.execute(select(Account.id, Account.name, Account.owner).where(*in_view)).all():
        counts = contacts.get(account_id, none)
        rows.append((account_id, name, owner, tuple(counts[:stages]), tuple(makers.get(account_id, ())),
                     counts[stages], active.get(account_id, 0)))
    rows.sort(key=lambda r: (sum(r[3][2:]), -len(r[4]), r[1]))
    return Coverage(PlainRows(AccountCoverage.named, rows), _activity_by_month(s, dialect, in_period))


def _contacts_per_account(ctx, uow, of_view, everything: bool):
    """Per account with a contact in view, its contacts by stage (none yet, acquaintance, ...) and
    those going cold: the ledger's rule (`ledger_rules.going_cold`: no activity for more than the
    configured days, counted from when they were added if never). Seeing every account, a
    contact's last activity is the day its row keeps (migration 0031), one pass over the contacts;
    a narrower view counts only the activities on its accounts, grouped by contact (probed per
    contact, PostgreSQL re-read the accounts in view for each: 0.9-1.6 s for a rep or a manager)."""
    days, today = read_settings(uow.session).going_cold_days, ledger.today(ctx)
    contacts = select(Contact.account_id).where(*of_view(Contact.account_id))
    if everything:
        last = Contact.last_activity_on
    else:
        grouped = (select(Activity.contact_id, func.max(Activity.occurred_on).label("day"))
                   .where(*of_view(Activity.account_id)).group_by(Activity.contact_id).subquery())
        contacts, last = contacts.outerjoin(grouped, grouped.c.contact_id == Contact.id), grouped.c.day
    quiet_since = func.coalesce(last, func.date(Contact.created_at), type_=Date)
    stage = func.coalesce(Contact.relationship_stage, NO_STAGE)
    per_stage = [func.sum(case((stage == value, 1), else_=0)).label(f"s{i}") for i, value in enumerate(COLUMNS)]
    cold = func.sum(case((quiet_since < literal(today - timedelta(days=days), Date), 1), else_=0)).label("cold")
    return contacts.add_columns(*per_stage, cold).group_by(Contact.account_id)
