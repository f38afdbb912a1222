"""The outbox: notifications the engine wrote, for the web UI to mail or show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from ..db.schema import Notification, User


@dataclass(frozen=True)
class NotificationView:
    id: int
    username: str
    kind: str
    subject: str
    instance_id: str | None
    task_id: str | None
    created_at: datetime
    sent_at: datetime | None


def _view(n: Notification) -> NotificationView:
    return NotificationView(n.id, n.username, n.kind, n.subject, n.instance_id, n.task_id, n.created_at, n.sent_at)


class Notifications:
    def __init__(self, eng):
        self._eng = eng

    def for_user(self, username: str, limit: int = 50) -> list[NotificationView]:
        return self._eng._read(lambda uow: [_view(n) for n in uow.session.scalars(
            select(Notification).where(Notification.username == username)
            .order_by(Notification.id.desc()).limit(limit))])

    def latest(self, limit: int = 200) -> list[NotificationView]:
        """The newest notifications of everybody (the admin outbox page)."""
        return self._eng._read(lambda uow: [_view(n) for n in uow.session.scalars(
            select(Notification).order_by(Notification.id.desc()).limit(limit))])

    def outbox(self, limit: int = 100) -> list[tuple[NotificationView, str | None]]:
        """Unsent notifications of users who want them, with each user's e-mail address."""
        return self._eng._read(lambda uow: [(_view(n), email) for n, email in uow.session.execute(
            select(Notification, User.email).join(User, User.username == Notification.username)
            .where(Notification.sent_at.is_(None), User.notify.is_(True), User.active.is_(True))
            .order_by(Notification.id).limit(limit))])

    def deliver_pending(self, send, limit: int = 100) -> int:
        """Hand pending notifications to `send(batch) -> delivered ids`, once each, even with
        many workers: the rows stay locked (SKIP LOCKED on PostgreSQL) until they are marked."""
        def use_case(uow):
            rows = uow.session.execute(
                select(Notification, User.email).join(User, User.username == Notification.username)
                .where(Notification.sent_at.is_(None), User.notify.is_(True), User.active.is_(True))
                .order_by(Notification.id).limit(limit).with_for_update(of=Notification, skip_locked=True)).all()
            if not rows:
                return 0
            delivered = set(send([(_view(n), email) for n, email in rows]))
            now = self._eng.ctx.clock()
            for n, _email in rows:
                if n.id in delivered:
                    n.sent_at = now
            return len(delivered)
        return self._eng._write(use_case)

    def mark_sent(self, ids: list[int]) -> None:
        if ids:
            now = self._eng.ctx.clock()
            self._eng._write(lambda uow: uow.session.execute(
                update(Notification).where(Notification.id.in_(ids)).values(sent_at=now)))
