"""`eng.lists`: the long lists, each page in one read-only unit of work, paged by key.

A page never loads workflow state and never reads a row per listed item: the inbox is a
handful of statements whatever a person's backlog, and the 500th page costs what the first
does (docs/benchmarks.md). Cursors are opaque tokens from the previous page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..db import keyset
from ..errors import FieldError, ValidationFailed
from ..views import HistoryEvent, ProcessInfo, TaskView
from . import admin_lists, inbox, queries

PAGE_MAX = 100


@dataclass(frozen=True)
class StepCount:
    bpmn_id: str
    name: str
    tasks: int
    sample: str                   # an instance with this step open (for its process's order of steps)


@dataclass(frozen=True)
class InboxPage:
    """A page of a person's inbox with what the page around it shows."""

    tasks: list[TaskView]
    next: str | None              # the cursor of the next page (None: this is the last)
    previous: str | None          # of the previous page (None: this is the first)
    steps: list[StepCount]        # every step with open tasks, whatever the step filter
    total: int                    # tasks matching the filters
    returned: dict[str, HistoryEvent] = field(default_factory=dict)   # task id -> step completed before it
    processes: dict[str, ProcessInfo] = field(default_factory=dict)   # instance id -> its process


def check_size(size: int) -> int:
    if not isinstance(size, int) or not 1 <= size <= PAGE_MAX:
        raise ValidationFailed([FieldError("$.size", f"must be a whole number from 1 to {PAGE_MAX}")])
    return size


class Lists:
    def __init__(self, eng):
        self._eng = eng

    def inbox(self, username: str, step: str | None = None, search: str | None = None, cursor: str | None = None,
              size: int = 20) -> InboxPage:
        """A page of `username`'s inbox (see `engine.usecases.inbox`), with the tasks per step
        (one GROUP BY, the search applied, the step filter not), the review each of their own
        listed tasks came back from, and the process of each listed or counted instance."""
        queries.check_filters(step=step, search=search)
        at = inbox.decode(cursor)
        check_size(size)
        ctx = self._eng.ctx

        def use_case(uow):
            person, named = uow.directory.find_with_offers(username)
            if person is None or not person.active:
                return InboxPage([], None, None, [], 0)
            found = inbox.page(ctx, uow, person, named, step, search, at, size)
            counted = inbox.count_steps(uow.session, person, named, search)
            returned = inbox.returns(uow.session, person, found.items)
            wanted = {sample for _n, sample in counted.values()} | {t.instance_id for t in found.items
                                                                    if t.id in returned}
            infos = queries.process_infos(ctx, uow.session, wanted)
            steps = [StepCount(b, infos[sample].names.get(b, b) if sample in infos else b, n, sample)
                     for b, (n, sample) in counted.items()]
            total = sum(s.tasks for s in steps if not step or s.bpmn_id == step)
            return InboxPage(found.items, found.next, found.previous, steps, total, returned, infos)
        return self._eng._read(use_case)

    def tasks(self, username: str, step: str | None = None, search: str | None = None, cursor: str | None = None,
              size: int = 20, offset: int = 0) -> keyset.Page:
        """A page of the inbox alone (the API's list): after `cursor`, or from `offset`."""
        queries.check_filters(step=step, search=search)
        at = inbox.decode(cursor)
        check_size(size)
        if at is not None and offset:
            raise ValidationFailed([FieldError("$.offset", "give a cursor or an offset, not both")])

        def use_case(uow):
            person, named = uow.directory.find_with_offers(username)
            if person is None or not person.active:
                return keyset.Page([], None, None)
            return inbox.page(self._eng.ctx, uow, person, named, step, search, at, size, offset)
        return self._eng._read(use_case)

    def instances(self, admin: str, status: str | None = None, search: str | None = None, cursor: str | None = None,
                  size: int = 50) -> keyset.Page:
        """Admin: instances, latest change first (`admin_lists.instances`); rows as `Engine.instances`."""
        check_size(size)
        return self._eng._read(lambda uow: admin_lists.instances(uow, admin, status, search, cursor, size))

    def incidents(self, admin: str, open_only: bool = True, cursor: str | None = None, size: int = 50) -> keyset.Page:
        """Admin: incidents, newest first, with their project's name."""
        check_size(size)
        return self._eng._read(lambda uow: admin_lists.incidents(uow, admin, open_only, cursor, size))
