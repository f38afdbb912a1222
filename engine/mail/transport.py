"""Hand one message at a time to SMTP, or to the log when no SMTP server is configured.

Failures come in two sorts. `MessageRefused`: this message could not go (the server refused
the address, the data, or the message could not be built) - the others still can.
`TransportDown`: the server is unreachable or dropped us - stop the round and retry later.
"""
from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

log = logging.getLogger("kamflow.mail")


class MessageRefused(Exception):
    """This one message failed; the connection (if any) is still good."""


class TransportDown(Exception):
    """No message can go now; the round stops and the message is retried later."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    sender: str = "kamflow@localhost"
    starttls: bool = True
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env=os.environ) -> "SmtpSettings | None":
        """KAMFLOW_SMTP_HOST (unset: no SMTP), _PORT, _USERNAME, _PASSWORD, _SENDER, _STARTTLS."""
        host = env.get("KAMFLOW_SMTP_HOST")
        if not host:
            return None
        return cls(host, int(env.get("KAMFLOW_SMTP_PORT", "587")), env.get("KAMFLOW_SMTP_USERNAME"),
                   env.get("KAMFLOW_SMTP_PASSWORD"), env.get("KAMFLOW_SMTP_SENDER", "kamflow@localhost"),
                   env.get("KAMFLOW_SMTP_STARTTLS", "true").lower() in ("1", "true", "yes"))


def _domain(sender: str) -> str:
    return sender.rpartition("@")[2].strip("> ") or "localhost"


def describe(exc: BaseException) -> str:
    """The server's own words where it gave any (e.g. `550 5.1.1 no such user`)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {_text(msg)}" for addr, (code, msg) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class SmtpTransport:
    """One SMTP session per delivery round, opened when the first message is ready."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.sender = settings.sender
        self.domain = _domain(settings.sender)
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpTransport":
        return self

    def __exit__(self, *exc) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.starttls:
                smtp.starttls()
            if s.username:
                smtp.login(s.username, s.password or "")
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportDown(describe(exc)) from exc
        return smtp

    def send(self, message: EmailMessage, address: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message, from_addr=self.sender, to_addrs=[address])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                smtplib.SMTPNotSupportedError) as exc:
            raise MessageRefused(describe(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._smtp = None
            raise TransportDown(describe(exc)) from exc


class LogTransport:
    """No SMTP server configured: each message goes to the log (the demo's mailbox)."""

    sender = "kamflow@localhost"
    domain = "localhost"

    def __enter__(self) -> "LogTransport":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send(self, message: EmailMessage, address: str) -> None:
        log.info("outbox → %s: %s", message["To"], message["Subject"])
