"""The 80/20 ranking (domain §1), pure: accounts by revenue with the cumulative share and tiers.

Walking down the ranking (largest first, ties by key), an account whose revenue starts before
80% of the total is reached is tier A - the accounts that make the first 80% of revenue - one
that starts before 95% is tier B (the next 15%), the rest are tier C; an account with no revenue
is C. This is the rule the account list uses (`engine.workspace.rules.tiers`). An account whose
amount could not be converted (no exchange rate) is kept apart: no rank, no tier, not in the
total. The top 20% of accounts is ceil(20% of the ranked accounts), at least one.

`rank_hundredths` gives the same answer from whole hundredths of the base (the amounts kept on
the revenue rows): the order and the tiers in integers, a Decimal only for what a row shows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, NamedTuple, Sequence

from ..workspace.rules import A_SHARE, B_SHARE, tier_for
from .plain_rows import PlainRows

TOP_SHARE_OF_ACCOUNTS = Decimal("0.20")
EXACT_BELOW = 10 ** 26               # hundredths: below it `tier_for`'s 28-digit division is exact enough


class Ranked(NamedTuple):                    # immutable, and cheap to make 10,000 times
    key: str
    rank: int | None                 # None: no rate, so not ranked
    amount: Decimal | None
    share: Decimal | None            # of the total, 0-1
    cumulative: Decimal | None       # the share reached with this account included, 0-1
    tier: str | None


@dataclass(frozen=True)
class Ranking:
    rows: Sequence[Ranked]           # ranked first, then the accounts without a rate
    total: Decimal
    top_count: int                   # how many accounts are the top 20%
    top_share: Decimal | None        # their share of the total; None when there is no revenue


def rank(amounts: Iterable[tuple[str, Decimal | None]]) -> Ranking:
    """`(key, amount in the base currency or None when it could not be converted)` -> the ranking."""
    pairs = list(amounts)
    known = sorted(((k, max(a, Decimal(0))) for k, a in pairs if a is not None), key=lambda kv: (-kv[1], kv[0]))
    total = sum((a for _k, a in known), Decimal(0))
    rows, reached = [], Decimal(0)
    for position, (key, amount) in enumerate(known, start=1):
        before = reached / total if total else Decimal(1)
        reached += amount
        rows.append(Ranked(key, position, amount, amount / total if total else Decimal(0),
                           reached / total if total else Decimal(0), tier_for(before, amount)))
    rows += [Ranked(k, None, None, None, None, None) for k, a in pairs if a is None]
    top_count = max(1, math.ceil(TOP_SHARE_OF_ACCOUNTS * len(known))) if known else 0
    top = sum((a for _k, a in known[:top_count]), Decimal(0))
    return Ranking(rows, total, top_count, top / total if total else None)


def rank_hundredths(amounts: Iterable[tuple[str, int | None]]) -> Ranking | None:
    """`rank` of `(key, whole hundredths of the base or None)`, the same rows, ties and tiers:
    the share before an account compares as integers (before x 5 < total x 4: under 80%), which
    is what `tier_for`'s Decimal division decides while the total is below `EXACT_BELOW`; None
    above it (the caller ranks Decimals). The rows are kept plain (`plain_rows`)."""
    pairs = list(amounts)
    known = sorted(((k, max(a, 0)) for k, a in pairs if a is not None), key=lambda kv: (-kv[1], kv[0]))
    whole = sum(a for _k, a in known)
    if whole >= EXACT_BELOW:
        return None
    (a_top, a_under), (b_top, b_under) = A_SHARE.as_integer_ratio(), B_SHARE.as_integer_ratio()
    total, zero = Decimal(whole).scaleb(-2), Decimal(0)
    rows, reached = [], 0
    for position, (key, hundredths) in enumerate(known, start=1):
        before, reached = reached, reached + hundredths
        amount = Decimal(hundredths).scaleb(-2)
        tier = ("C" if hundredths <= 0 else "A" if before * a_under < whole * a_top
                else "B" if before * b_under < whole * b_top else "C")
        rows.append((key, position, amount, amount / total if whole else zero,
                     Decimal(reached) / whole if whole else zero, tier))
    rows += [(k, None, None, None, None, None) for k, a in pairs if a is None]
    top_count = max(1, math.ceil(TOP_SHARE_OF_ACCOUNTS * len(known))) if known else 0
    top = sum(a for _k, a in known[:top_count])
    return Ranking(PlainRows(Ranked._make, rows), total, top_count, Decimal(top) / whole if whole else None)
