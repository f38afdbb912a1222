"""How big each part of a seeded database is, for a number of projects N (pure, no database).

The proportions come from issue 12's measured database of 100,000 projects: ~185 users and
groups, ~10,000 accounts, ~23k open tasks of which ~10,000 wait unclaimed in one department's
manager pool. People scale with N so that a rep, a manager and their backlogs look the same at
1,000 projects as at 100,000 (only the pool, the committee's votes and the totals grow).
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

PROJECTS_PER_REP = 700            # three years of projects per rep (100,000 over 144 reps)
REPS_PER_DEPARTMENT = 9
DEPARTMENTS_PER_DIRECTOR = 4
ACCOUNTS_PER_PROJECT = 0.1        # 10,000 accounts at 100,000 projects

# Where the projects stand: the scenario each one is a copy of, as a share of N. `pool_review`
# waits in the pool department's manager pool; every other scenario is spread over all reps.
MIX = {
    "pool_review": 0.100,
    "information": 0.010,          # gathering information, two of five forms done
    "proposal": 0.012,
    "manager_review": 0.015,
    "committee": 0.010,            # two of the committee's votes in
    "authorisation": 0.008,
    "returned_proposal": 0.010,    # the manager sent it back to the proposal
    "returned_information": 0.005,  # ... or to information gathering
    "resubmitted": 0.005,          # back at the manager after a return
    "established": 0.420,
    "established_after_return": 0.080,
    "declined": 0.120,
    "withdrawn_information": 0.110,
    "withdrawn_review": 0.095,
}
RUNNING = ("pool_review", "information", "proposal", "manager_review", "committee", "authorisation",
           "returned_proposal", "returned_information", "resubmitted")


@dataclass(frozen=True)
class Organisation:
    reps: int
    departments: int               # the first is the pool department (two managers share its reviews)
    directors: int
    committee: int = 5             # members, the chair among them
    admins: int = 2
    compliance: int = 2

    @property
    def users(self) -> int:
        managers = self.departments + 1
        return self.reps + managers + self.directors + 1 + self.committee + self.admins + self.compliance


def organisation(n: int) -> Organisation:
    reps = max(2, round(n / PROJECTS_PER_REP))        # at least the pool department's and a typical one
    departments = max(2, round(reps / REPS_PER_DEPARTMENT))
    return Organisation(reps, departments, max(1, math.ceil(departments / DEPARTMENTS_PER_DIRECTOR)))


def accounts(n: int, reps: int) -> int:
    return max(2 * reps, round(n * ACCOUNTS_PER_PROJECT))


def apportion(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Whole counts in proportion to `shares` that add up to `total` (largest remainder)."""
    weight = sum(shares.values())
    exact = {k: total * v / weight for k, v in shares.items()}
    counts = {k: math.floor(x) for k, x in exact.items()}
    left = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: (counts[k] - exact[k], k))[:left]:
        counts[k] += 1
    return counts


def scenario_counts(n: int) -> dict[str, int]:
    return apportion(n, MIX)


# -- time -------------------------------------------------------------------------------------
DAY = 86_400.0
# median days a step takes before it is answered (log-normal around it)
STEP_DAYS = {"customer_info": 1.5, "competitor_info": 1.0, "project_info": 1.0, "decision_makers": 1.5,
             "decision_participants": 1.0, "proposal": 4.0, "manager_review": 2.0, "committee_vote": 1.0,
             "chair_tiebreak": 1.0, "authorisation": 2.0, "withdrawn": 6.0}
SPREAD = 0.8                       # sigma of the log-normal


def step_seconds(rng: random.Random, step: str | None) -> float:
    """How long one action waited before it was done, in seconds (at least a minute)."""
    median = STEP_DAYS.get(step or "", 0.5) * DAY
    return max(60.0, rng.lognormvariate(math.log(median), SPREAD))


def open_age_seconds(rng: random.Random) -> float:
    """How long a running project's open work has waited: mostly days, a tail of weeks."""
    return min(120 * DAY, max(600.0, rng.expovariate(1 / (5 * DAY))))


def pareto_revenue(rng: random.Random, scale: float = 1_000_000, alpha: float = 1.16) -> int:
    """One account's yearly revenue: a Pareto tail with alpha 1.16 gives the 80/20 rule."""
    return int(scale * (rng.paretovariate(alpha)))
