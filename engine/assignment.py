"""Who gets a new task, and who may act on one. Pure functions over `Person` values.

The rules, in order (docs/process.md lists them for modellers):
1. no lane, or a lane called "Process Initiator" (spiff-arena) or `rep` → whoever started it;
2. the task's `assignee` property names a data variable holding a username (one committee vote);
3. `lane_owners[lane name]` in the process data (spiff-arena) → those people;
4. lane `department_manager` → the manager of the owner's department;
5. a group named like the lane's id or name → its members (`group:NAME`).
Nobody reviews their own instance: from rule 2 on, the owner is excluded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .directory import Person

OWNER_LANE = "rep"
MANAGER_LANE = "department_manager"
_INITIATOR = re.compile(r"(process.?)?initiator", re.IGNORECASE)


@dataclass(frozen=True)
class Offer:
    """A task goes to one assignee, or to named candidates or a group to claim; never to `excluded`."""

    assignee: str | None
    group: str | None
    excluded: str | None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lane:
    """What the engine knows of a task's lane when offering it."""

    id: str | None
    name: str | None = None
    group: str | None = None                   # the group named like the lane, if one exists
    owners: tuple[str, ...] | None = None      # `lane_owners[name]`: active users, in order


def is_initiator_lane(lane: Lane) -> bool:
    return lane.id is None or lane.id == OWNER_LANE or any(
        _INITIATOR.fullmatch(text.strip()) for text in (lane.id, lane.name) if text)


def offer_for(lane: Lane, owner: Person, assignee_hint: str | None, managers: list[str]) -> Offer:
    """Decide who gets a new task in `lane` of an instance owned (started) by `owner`."""
    if is_initiator_lane(lane):
        return Offer(owner.username, None, None)
    excluded = owner.username                    # nobody reviews their own project
    fallback = f"group:{lane.group or lane.name or lane.id}"
    if assignee_hint:
        return Offer(assignee_hint, None, excluded) if assignee_hint != excluded else Offer(None, fallback, excluded)
    if lane.owners is not None:
        people = tuple(u for u in dict.fromkeys(lane.owners) if u != excluded)
        if len(people) == 1:
            return Offer(people[0], None, excluded)
        if people:
            return Offer(None, None, excluded, people)
    if lane.id == MANAGER_LANE:
        eligible = [m for m in managers if m != excluded]
        if len(eligible) == 1:
            return Offer(eligible[0], None, excluded)
        return Offer(None, f"manager:{owner.department}", excluded)
    return Offer(None, fallback, excluded)


def may_act(user: Person, assignee: str | None, group: str | None, excluded: str | None,
            candidates: frozenset[str] = frozenset()) -> bool:
    """May `user` complete (or claim) a task offered like this? Being an admin does not count:
    admins reassign a task (audited), and the new assignee decides."""
    if not user.active or (excluded and user.username == excluded):
        return False
    if assignee:
        return user.username == assignee
    return user.username in candidates or (group is not None and group in user.candidate_groups)
