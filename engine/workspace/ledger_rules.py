"""The relationship ledger's rules (domain §5.2), needing no database.

Each relationship stage is recognised by its marker activities: 認識 acquaintance by a phone
contact, a scheduled visit, a small gift; 約會 engagement by a business meal or event, a visit
to a local reference customer, a technical exchange, tests and samples; 信賴 trust by a social
event, a family activity, an out-of-town visit, a valuable gift; 同盟 alliance by
introductions (穿針引線), acting as our guide (internal information) and firm support.
`other` marks no stage.

A stage rises only on the evidence of a marker activity of that stage or higher, recorded
since the stage last changed (so an old dinner cannot undo a fall); it may fall at any time,
with a reason. A person is going cold when nothing was done with them for more than the
configured number of days (counted from when they were added, if never).
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from .rules import STAGES, stage_rank

MARKERS: dict[str, tuple[str, ...]] = {
    "acquaintance": ("phone_contact", "scheduled_visit", "small_gift"),
    "engagement": ("business_meal", "reference_visit", "technical_exchange", "test_and_samples"),
    "trust": ("social_event", "family_activity", "out_of_town_visit", "valuable_gift"),
    "alliance": ("introductions", "internal_guide", "firm_support"),
}
OTHER = "other"
ACTIVITY_KINDS = tuple(kind for stage in STAGES for kind in MARKERS[stage]) + (OTHER,)
GIFT_KINDS = ("gift", "hospitality")
COVERAGE_MODES = ("warn", "block")


def marker_stage(kind: str) -> str | None:
    """The stage an activity of `kind` marks; None for `other`."""
    return next((stage for stage, kinds in MARKERS.items() if kind in kinds), None)


def highest_marked(kinds: Iterable[str]) -> str | None:
    """The highest stage any of these activities marks."""
    marked = [marker_stage(k) for k in kinds]
    return max((s for s in marked if s), key=stage_rank, default=None)


def stage_change_error(current: str | None, target: str | None, evidence: Iterable[str],
                       reason: str) -> tuple[str, str] | None:
    """Why moving from `current` to `target` is refused, as (field, message); None when allowed.

    `evidence`: the kinds of the activities recorded with the person since the stage last changed."""
    if target is not None and target not in STAGES:
        return "stage", f"must be one of: {', '.join(STAGES)}"
    if stage_rank(target) > stage_rank(current):
        if stage_rank(highest_marked(evidence)) < stage_rank(target):
            return "stage", "rises only with a recorded marker activity of that stage or higher"
    elif stage_rank(target) < stage_rank(current) and not (reason or "").strip():
        return "reason", "say why the relationship has fallen back"
    return None


def days_quiet(last_activity: date | None, added: date, today: date) -> int:
    """Days since anything was done with the person (since they were added, if never)."""
    return (today - (last_activity or added)).days


def going_cold(last_activity: date | None, added: date, today: date, days: int) -> bool:
    """No activity for more than `days` days."""
    return days_quiet(last_activity, added, today) > days


def needs_compliance(value, public_official: bool, threshold) -> list[str]:
    """Why a gift goes to compliance approval ([] when it does not): to a public official, or
    above the threshold. `value` and `threshold` are in one currency (the base), converted by the
    exchange rates; None where no rate converts them, and what cannot be compared goes to
    compliance too."""
    reasons = ["public_official"] if public_official else []
    if value is None or threshold is None:
        reasons.append("other_currency")
    elif value > threshold:
        reasons.append("threshold")
    return reasons
