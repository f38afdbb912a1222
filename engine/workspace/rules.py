"""The workspace's domain rules that need no database: the choices, the qualification score
(domain §2) and the A/B/C tiers (the 80/20 rule, §1).

Qualification score: the four criteria (sales volume or potential, technology absorption,
market strength, financial health) are each scored 1-5 and weigh the same, since the source
names no weights. The score maps their sum linearly onto 0-100: `(sum - 4) / 16 * 100`,
rounded, so all 1s score 0, all 3s score 50 and all 5s score 100. It is unknown (None)
until all four are scored.

Tiers: accounts ranked by what they bought from us in the latest year anyone has revenue
for; walking down the ranking, an account whose revenue starts before 80% of the total is
reached is tier A, before 95% tier B, the rest (and accounts without revenue that year) C.
Amounts are compared in one base currency: `to_base` converts (or answers None when it
cannot), so a currency table can plug in; without one, only base-currency figures count.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

ACCOUNT_TYPES = ("global", "national", "regional")
DEPARTMENT_KINDS = ("purchasing", "supporting")
DECISION_ROLES = ("decision_maker", "influencer", "user", "gatekeeper")
PARTICIPANT_ROLES = DECISION_ROLES[1:]            # the participants form: everyone but decision makers
STAGES = ("acquaintance", "engagement", "trust", "alliance")     # 認識 → 約會 → 信賴 → 同盟 (§5.2)
CHANNELS = ("phone", "email", "visit", "messaging", "other")
CURRENCIES = ("TWD", "USD", "CNY", "EUR", "JPY")
BASE_CURRENCY = "TWD"
CRITERIA = ("sales_volume", "technology_absorption", "market_strength", "financial_health")
TIERS = ("A", "B", "C")
A_SHARE, B_SHARE = Decimal("0.80"), Decimal("0.95")


def qualification_score(scores: dict[str, int | None]) -> int | None:
    """0-100 from the four criteria scored 1-5; None while any is unscored."""
    values = [scores.get(name) for name in CRITERIA]
    if any(not isinstance(v, int) or not 1 <= v <= 5 for v in values):
        return None
    return round((sum(values) - len(CRITERIA)) * 100 / (4 * len(CRITERIA)))


def stage_rank(stage: str | None) -> int:
    """0 for no stage yet, 1 for acquaintance ... 4 for alliance."""
    return STAGES.index(stage) + 1 if stage in STAGES else 0


@dataclass(frozen=True)
class Revenue:
    account_id: str
    year: int
    amount: Decimal
    currency: str


def base_currency_only(amount: Decimal, currency: str, year: int) -> Decimal | None:
    return amount if currency == BASE_CURRENCY else None


def latest_year(revenues: Iterable[Revenue]) -> int | None:
    return max((r.year for r in revenues), default=None)


def tier_for(share_before: Decimal, amount: Decimal) -> str:
    """The one tier rule: an account whose revenue starts before 80% of the total is reached is A,
    before 95% B, else C; no revenue is C. The account list and the 80/20 report both use it."""
    if amount <= 0:
        return "C"
    return "A" if share_before < A_SHARE else "B" if share_before < B_SHARE else "C"


def tiers(account_ids: Iterable[str], revenues: Iterable[Revenue],
          to_base: Callable[[Decimal, str, int], Decimal | None] = base_currency_only,
          year: int | None = None) -> dict[str, str]:
    """Each account's tier (A/B/C) by its share of `year`'s revenue (default: the latest year)."""
    revenues = list(revenues)
    year = year or latest_year(revenues)
    return tiers_by_amount(account_ids, ((r.account_id, to_base(r.amount, r.currency, r.year))
                                         for r in revenues if r.year == year))


def tiers_by_amount(account_ids: Iterable[str], amounts: Iterable[tuple[str, Decimal | None]]) -> dict[str, str]:
    """Each account's tier (A/B/C) by its share of the `(account, amount in the base)` pairs'
    total; an amount that is None (not converted) or not above 0 counts for nothing."""
    totals: dict[str, Decimal] = {}
    for account_id, converted in amounts:
        if converted is not None and converted > 0:
            totals[account_id] = totals.get(account_id, Decimal(0)) + converted
    result = {account_id: "C" for account_id in account_ids}
    grand = sum(totals.values(), Decimal(0))
    before = Decimal(0)                              # the share reached before this account
    for account_id, amount in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
        result[account_id] = tier_for(before / grand, amount)
        before += amount
    return result
