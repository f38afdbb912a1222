"""The outbox as a queue (eng.notifications): claim one message, mark it sent or failed;
and the lists people and admins read, worded in the reader's language.

A claim is a transaction of its own that leases the row for `LEASE` (`FOR UPDATE SKIP
LOCKED` on PostgreSQL lets workers pass each other; SQLite has one writer anyway). If the
worker dies before marking it, the lease runs out and the message goes again: at most the
message in flight is sent twice. A failure is retried after `backoff(attempts)`; after
`MAX_ATTEMPTS` the message is marked failed, for an admin to look at and send again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import defer

from ..db import keyset
from ..db.schema import Instance, Notification, Task
from ..errors import Conflict, NotFound
from ..mail import MailFacts, Renderer
from .admin import require_admin
from .mail_facts import facts_of
from .projection import audit

log = logging.getLogger("kamflow.mail")
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=2)
LONGEST_WAIT = timedelta(hours=2)
LEASE = timedelta(minutes=15)
STATUSES = ("pending", "sent", "failed", "skipped")
COUNT_CAP = 10_000


def backoff(attempts: int) -> timedelta:
    """2, 4, 8, 16, 32 minutes ... at most two hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def next_due(now: datetime):
    """The claim query: the oldest due unsent message (served by ix_notifications_queue)."""
    return (select(Notification).where(Notification.status == "pending", Notification.next_attempt_at <= now)
            .order_by(Notification.next_attempt_at, Notification.id).limit(1).with_for_update(skip_locked=True))


@dataclass(frozen=True)
class Job:
    """A claimed message: everything delivery needs, read in the claiming transaction."""

    id: int
    message_id: str
    address: str
    locale: str
    attempts: int
    facts: MailFacts


@dataclass(frozen=True)
class NotificationView:
    id: int
    username: str
    recipient: str
    kind: str
    subject: str
    instance_id: str | None
    task_id: str | None
    created_at: datetime
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
    failed_at: datetime | None
    body: str = ""


@dataclass(frozen=True)
class OutboxPage:
    items: list[NotificationView]
    counts: dict[str, int]             # per status, up to COUNT_CAP + 1
    next: str | None                   # cursors of the neighbouring pages (engine/db/keyset.py)
    previous: str | None


def _why_not_mailed(person) -> str | None:
    """A code (the UI words it) for why this person gets no e-mail, or None."""
    if person is None or not person.active:
        return "deactivated"
    if not person.notify:
        return "notifications_off"
    if not person.email:
        return "no_email"
    return None


def _failed(n: Notification, error: str, now: datetime) -> None:
    """One more failed try: wait `backoff(attempts)`, or give up after MAX_ATTEMPTS."""
    n.last_error = error[:2000]
    if n.attempts >= MAX_ATTEMPTS:
        n.status, n.failed_at = "failed", now
    else:
        n.next_attempt_at = now + backoff(n.attempts)


@lru_cache(maxsize=8)
def _renderer(forms_dir: Path) -> Renderer:
    return Renderer(forms_dir)


class Notifications:
    def __init__(self, eng):
        self._eng = eng

    @property
    def renderer(self) -> Renderer:
        return _renderer(Path(self._eng.forms_dir))

    # -- the queue ----------------------------------------------------------------------
    def claim(self, domain: str = "localhost") -> Job | None:
        """Lease the next due message (skipping those whose recipient wants no mail)."""
        ctx = self._eng.ctx
        now = ctx.clock()

        def use_case(uow):
            while True:
                n = uow.session.scalar(next_due(now))
                if n is None:
                    return None
                person = uow.directory.find(n.username)
                reason = _why_not_mailed(person)
                if reason:
                    n.status, n.last_error = "skipped", reason
                    uow.session.flush()
                    continue
                n.attempts += 1
                n.next_attempt_at = now + LEASE
                n.message_id = n.message_id or make_msgid(domain=domain)
                try:
                    facts = facts_of(ctx, uow.session, uow.directory, n)
                except Exception as exc:      # noqa: BLE001 - what the row points at is unreadable:
                    _failed(n, f"{type(exc).__name__}: {exc}", now)      # this message fails, the next goes
                    uow.session.flush()
                    continue
                return Job(n.id, n.message_id, person.email, n.locale, n.attempts, facts)
        return self._eng._write(use_case)

    def mark_sent(self, notification_id: int) -> None:
        now = self._eng.ctx.clock()

        def use_case(uow):
            n = uow.session.get(Notification, notification_id, with_for_update=True)
            if n is not None and n.status == "pending":
                n.status, n.sent_at, n.last_error = "sent", now, None
        self._eng._write(use_case)

    def mark_failed(self, notification_id: int, error: str) -> None:
        """Retry later with backoff, or give up after MAX_ATTEMPTS tries."""
        now = self._eng.ctx.clock()

        def use_case(uow):
            n = uow.session.get(Notification, notification_id, with_for_update=True)
            if n is not None and n.status == "pending":
                _failed(n, error, now)
        self._eng._write(use_case)

    def send_again(self, notification_id: int, admin: str) -> None:
        """Admin: queue a failed (or sent) message again, as a new message; audited."""
        now = self._eng.ctx.clock()

        def use_case(uow):
            require_admin(uow, admin)
            n = uow.session.get(Notification, notification_id, with_for_update=True)
            if n is None:
                raise NotFound(f"No notification {notification_id}")
            if n.status not in ("failed", "sent"):
                raise Conflict(f"This message is {n.status}; only a failed or sent one can be sent again")
            n.status, n.attempts, n.next_attempt_at = "pending", 0, now
            n.sent_at = n.failed_at = n.last_error = n.message_id = None
            if n.instance_id:
                audit(uow.session, n.instance_id, "mail_resent", admin, now, task_id=n.task_id,
                      data={"notification": n.id, "to": n.username, "kind": n.kind})
        self._eng._write(use_case)

    # -- what people read ---------------------------------------------------------------
    def _view(self, uow, n: Notification, locale: str | None, with_body: bool = False) -> NotificationView:
        shown_in = locale or n.locale
        try:
            facts = facts_of(self._eng.ctx, uow.session, uow.directory, n)
            if with_body:                 # the letter words its subject too: one rendering, not two
                letter = self.renderer.letter(facts, shown_in)
                recipient, subject, body = facts.recipient, letter.subject, letter.body
            else:
                recipient, subject, body = facts.recipient, self.renderer.subject(facts, shown_in), ""
        except Exception:                 # noqa: BLE001 - one unreadable row must not take the page down
            log.exception("notification %s cannot be worded", n.id)
            recipient, subject, body = n.username, "—", ""
        return NotificationView(n.id, n.username, recipient, n.kind, subject, n.instance_id, n.task_id,
                                n.created_at, n.status, n.attempts, n.next_attempt_at, n.last_error, n.sent_at,
                                n.failed_at, body)

    def for_user(self, username: str, locale: str | None = None, limit: int = 20) -> list[NotificationView]:
        """A person's newest notifications, worded in `locale` (default: as queued)."""
        return self._eng._read(lambda uow: [self._view(uow, n, locale) for n in uow.session.scalars(
            select(Notification).where(Notification.username == username)
            .order_by(Notification.id.desc()).limit(limit))])

    def page(self, admin: str, status: str | None = None, cursor: str | None = None, per_page: int = 50,
             locale: str | None = None) -> OutboxPage:
        """Admin: the outbox newest first, optionally one status only, paged by key (the id),
        with counts per status (each counted up to COUNT_CAP + 1: a million sent messages
        are not counted one by one for every page); subjects, no bodies (see `message`)."""
        at = keyset.decode(cursor, (int,))

        def use_case(uow):
            require_admin(uow, admin)
            s = uow.session
            counted = [select(literal(st).label("status"), func.count().label("n")).select_from(
                select(Notification.id).where(Notification.status == st).limit(COUNT_CAP + 1).subquery())
                for st in STATUSES]
            counts = {st: n for st, n in s.execute(union_all(*counted))}
            cut = keyset.page_of(_newest(s, status, at, per_page), per_page, at, lambda n: (n.id,))
            if keyset.short_way_back(at, cut.items, per_page):
                cut = keyset.page_of(_newest(s, status, None, per_page), per_page, None, lambda n: (n.id,))
            kept = _read_ahead(uow, cut.items)                 # noqa: F841 - held for the session's identity map
            return OutboxPage([self._view(uow, n, locale) for n in cut.items], counts, cut.next, cut.previous)
        return self._eng._read(use_case)

    def message(self, admin: str, notification_id: int, locale: str | None = None) -> NotificationView:
        """Admin: one message of the outbox with its body, worded as it is (or was) mailed: a
        page of the outbox words only the subjects, a body when someone opens it."""
        def use_case(uow):
            require_admin(uow, admin)
            n = uow.session.get(Notification, notification_id) if isinstance(notification_id, int) else None
            if n is None:
                raise NotFound(f"No notification {notification_id}")
            return self._view(uow, n, locale, with_body=True)
        return self._eng._read(use_case)


def _newest(session, status: str | None, at: keyset.Cursor | None, size: int) -> list[Notification]:
    """`size + 1` messages from the cursor on, newest first (going back: oldest first)."""
    q = select(Notification)
    if status in STATUSES:
        q = q.where(Notification.status == status)
    forward = at is None or at.forward
    if at is not None:
        q = q.where(Notification.id < at.key[0] if forward else Notification.id > at.key[0])
    return list(session.scalars(q.order_by(Notification.id.desc() if forward else Notification.id).limit(size + 1)))


def _read_ahead(uow, rows: list[Notification]) -> list:
    """What wording `rows` reads (their instances without workflow state, tasks, people), in
    three statements rather than a few per row; returned so the session keeps them."""
    s = uow.session
    instance_ids = {n.instance_id for n in rows if n.instance_id}
    task_ids = {n.task_id for n in rows if n.task_id}
    people = {n.username for n in rows} | {n.actor for n in rows if n.actor}
    for n in rows:
        facts = n.facts or {}
        task_ids |= {t for t in [*(facts.get("tasks") or []), *(facts.get("next") or [])] if isinstance(t, str)}
        for answer in facts.get("decisions") or []:
            if isinstance(answer, dict):
                task_ids |= {answer["task_id"]} if isinstance(answer.get("task_id"), str) else set()
                people |= {answer["by"]} if isinstance(answer.get("by"), str) else set()
        people |= {u for u in facts.get("waiting_for") or [] if isinstance(u, str)}
    uow.directory.find_all(people)
    kept = list(s.scalars(select(Instance).options(defer(Instance.workflow)).where(Instance.id.in_(instance_ids))))
    return kept + list(s.scalars(select(Task).where(Task.id.in_(task_ids))))
