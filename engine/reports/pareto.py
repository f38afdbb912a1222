"""The 80/20 ranking (domain §1), pure: accounts by revenue with the cumulative share and tiers.

Walking down the ranking (largest first, ties by key), an account whose revenue starts before
80% of the total is reached is tier A - the accounts that make the first 80% of revenue - one
that starts before 95% is tier B (the next 15%), the rest are tier C; an account with no revenue
is C. This is the rule the account list uses (`engine.workspace.rules.tiers`). An account whose
amount could not be converted (no exchange rate) is kept apart: no rank, no tier, not in the
total. The top 20% of accounts is ceil(20% of the ranked accounts), at least one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from ..workspace.rules import tier_for

TOP_SHARE_OF_ACCOUNTS = Decimal("0.20")


@dataclass(frozen=True)
class Ranked:
    key: str
    rank: int | None                 # None: no rate, so not ranked
    amount: Decimal | None
    share: Decimal | None            # of the total, 0-1
    cumulative: Decimal | None       # the share reached with this account included, 0-1
    tier: str | None


@dataclass(frozen=True)
class Ranking:
    rows: list[Ranked]               # ranked first, then the accounts without a rate
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
