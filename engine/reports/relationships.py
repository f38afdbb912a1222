"""Report (f): relationship coverage - per account in view, its contacts by relationship stage,
the decision makers still at acquaintance (認識) and the contacts going cold (the ledger's rule,
`engine.workspace.ledger.cold`); and the activities each rep recorded per month. The period
selects activities by the day they happened; the account filters select the accounts."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..db.ledger import Activity
from ..db.workspace import Account, Contact
from ..workspace import ledger
from ..workspace.rules import STAGES
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


def coverage(ctx, uow, username: str, filters: Filters) -> Coverage:
    s = uow.session
    person = scope.viewer(uow, username)
    accounts = {a.id: a for a in s.scalars(select(Account).where(*scope.accounts_where(uow, person, filters)))}
    rows = {i: AccountCoverage(i, a.name, a.owner, {stage: 0 for stage in (NO_STAGE, *STAGES)})
            for i, a in accounts.items()}
    contacts = list(s.scalars(select(Contact).where(Contact.account_id.in_(list(accounts))))) if accounts else []
    for c in contacts:
        row = rows[c.account_id]
        row.stages[c.relationship_stage or NO_STAGE] = row.stages.get(c.relationship_stage or NO_STAGE, 0) + 1
        if c.decision_role == "decision_maker" and c.relationship_stage in (None, "acquaintance"):
            row.makers_at_acquaintance.append(c.name)
    for cold in ledger.cold(ctx, s, contacts):
        rows[cold.account_id].going_cold += 1
    in_period = [Activity.account_id.in_(list(accounts))]
    if filters.since:
        in_period.append(Activity.occurred_on >= filters.since)
    if filters.until:
        in_period.append(Activity.occurred_on <= filters.until)
    activity: dict[tuple[str, str], int] = {}
    if accounts:
        for account_id, rep, day in s.execute(select(Activity.account_id, Activity.recorded_by, Activity.occurred_on)
                                              .where(*in_period)):
            rows[account_id].activities += 1
            key = (rep or "", day.strftime("%Y-%m"))
            activity[key] = activity.get(key, 0) + 1
    ordered = sorted(rows.values(), key=lambda r: (sum(n for st, n in r.stages.items() if st not in (NO_STAGE, STAGES[0])),
                                                   -len(r.makers_at_acquaintance), r.name))
    return Coverage(ordered, sorted(((rep, month, n) for (rep, month), n in activity.items()),
                                    key=lambda t: (t[1], t[0])))
