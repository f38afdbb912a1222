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
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select

from ..db.schema import Notification
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
    counts: dict[str, int]
    page: int
    pages: int


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
            recipient, subject = facts.recipient, self.renderer.subject(facts, shown_in)
            body = self.renderer.letter(facts, shown_in).body if with_body else ""
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

    def page(self, admin: str, status: str | None = None, page: int = 1, per_page: int = 50,
             locale: str | None = None) -> OutboxPage:
        """Admin: the outbox newest first, optionally one status only, with counts per status."""
        def use_case(uow):
            require_admin(uow, admin)
            counts = dict(uow.session.execute(select(Notification.status, func.count())
                                              .group_by(Notification.status)).all())
            q = select(Notification).order_by(Notification.id.desc())
            if status in STATUSES:
                q = q.where(Notification.status == status)
            total = counts.get(status, 0) if status in STATUSES else sum(counts.values())
            pages = max(1, math.ceil(total / per_page))
            current = min(max(page, 1), pages)
            rows = uow.session.scalars(q.limit(per_page).offset((current - 1) * per_page))
            return OutboxPage([self._view(uow, n, locale, with_body=True) for n in rows],
                              {s: counts.get(s, 0) for s in STATUSES}, current, pages)
        return self._eng._read(use_case)
