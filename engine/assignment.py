"""Who may act on a task: lanes map to people by their BPMN lane id.

Pure functions over `Person` values: no database, easy to test.
"""
from __future__ import annotations

from dataclasses import dataclass

from .directory import Person

OWNER_LANE = "rep"
MANAGER_LANE = "department_manager"
COMMITTEE_LANE = "committee"


@dataclass(frozen=True)
class Offer:
    """A task goes to one assignee, or is offered to a group to claim; never to `excluded`."""

    assignee: str | None
    group: str | None
    excluded: str | None


def offer_for(lane: str | None, owner: Person, started_by: str, assignee_hint: str | None,
              managers: list[str]) -> Offer:
    """Decide who gets a new task in `lane` of a project owned by `owner`."""
    if lane == OWNER_LANE:
        return Offer(owner.username, None, None)
    if lane is None:
        return Offer(started_by, None, None)
    excluded = owner.username                    # nobody reviews their own project
    if assignee_hint:
        return Offer(assignee_hint if assignee_hint != excluded else None,
                     None if assignee_hint != excluded else f"role:{lane}", excluded)
    if lane == MANAGER_LANE:
        eligible = [m for m in managers if m != excluded]
        if len(eligible) == 1:
            return Offer(eligible[0], None, excluded)
        return Offer(None, f"manager:{owner.department}", excluded)
    if lane == COMMITTEE_LANE:
        return Offer(None, "role:committee", excluded)
    return Offer(None, f"role:{lane}", excluded)


def may_act(user: Person, assignee: str | None, group: str | None, excluded: str | None) -> bool:
    """May `user` complete (or claim) a task offered like this?"""
    if not user.active or (excluded and user.username == excluded):
        return False
    if user.is_admin:
        return True
    if assignee:
        return user.username == assignee
    return group is not None and group in user.groups

