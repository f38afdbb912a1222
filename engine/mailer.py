"""Deliver the outbox: by SMTP when configured, else to the log (the demo's mailbox).

Runs in the timer worker, so notifications go out even when nobody has a page open.
Each notification is delivered once: it is marked sent after its message is handed over.
"""
from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

log = logging.getLogger("kamflow.mail")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    sender: str = "kamflow@localhost"
    starttls: bool = True

    @classmethod
    def from_env(cls, env=os.environ) -> "SmtpSettings | None":
        """KAMFLOW_SMTP_HOST (unset: no SMTP), _PORT, _USERNAME, _PASSWORD, _SENDER, _STARTTLS."""
        host = env.get("KAMFLOW_SMTP_HOST")
        if not host:
            return None
        return cls(host, int(env.get("KAMFLOW_SMTP_PORT", "587")), env.get("KAMFLOW_SMTP_USERNAME"),
                   env.get("KAMFLOW_SMTP_PASSWORD"), env.get("KAMFLOW_SMTP_SENDER", "kamflow@localhost"),
                   env.get("KAMFLOW_SMTP_STARTTLS", "true").lower() in ("1", "true", "yes"))


def _message(note, address: str, sender: str, base_url: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, address, f"[KAM Flow] {note.subject}"
    link = f"{base_url}/tasks/{note.task_id}" if note.task_id else f"{base_url}/projects/{note.instance_id}"
    msg.set_content(f"{note.subject}\n\n{link}\n\n(You can turn these e-mails off in your settings.)\n")
    return msg


def deliver(eng, settings: SmtpSettings | None, base_url: str = "http://127.0.0.1:5000") -> int:
    """Send every pending notification once; returns how many were delivered."""
    def to_log(batch):
        for note, address in batch:
            log.info("outbox → %s <%s>: %s", note.username, address or "no e-mail", note.subject)
        return [note.id for note, _ in batch]

    def by_smtp(batch):
        sent = []
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            for note, address in batch:
                if address:
                    smtp.send_message(_message(note, address, settings.sender, base_url.rstrip("/")))
                sent.append(note.id)
        return sent
    return eng.notifications.deliver_pending(to_log if settings is None else by_smtp)
