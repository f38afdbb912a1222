"""Run the outbox: claim one message, word it, send it, mark it - then the next.

Each message is claimed and marked in transactions of its own (eng.notifications), so a
message that fails is retried later with backoff and never holds back the ones after it,
and a worker that dies mid-round leaves at most the message in flight to be sent again
(with the same Message-ID, so the resend can be recognised).
"""
from __future__ import annotations

import logging

from .headers import compose
from .transport import LogTransport, MessageRefused, SmtpSettings, SmtpTransport, TransportDown, describe

log = logging.getLogger("kamflow.mail")
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def deliver(eng, settings: SmtpSettings | None, base_url: str = DEFAULT_BASE_URL, limit: int = 500) -> int:
    """Send up to `limit` due messages; returns how many were sent."""
    outbox = eng.notifications
    sent = 0
    with (SmtpTransport(settings) if settings is not None else LogTransport()) as transport:
        for _ in range(limit):
            job = outbox.claim(transport.domain)
            if job is None:
                break
            try:
                letter = outbox.renderer.letter(job.facts, job.locale, base_url)
                transport.send(compose(letter.subject, letter.body, sender=transport.sender,
                                       to_name=job.facts.recipient, to_address=job.address,
                                       message_id=job.message_id, when=eng.ctx.clock()), job.address)
            except TransportDown as exc:
                outbox.mark_failed(job.id, str(exc))
                log.warning("mail server unavailable, will retry: %s", exc)
                break
            except MessageRefused as exc:
                outbox.mark_failed(job.id, str(exc))
                log.warning("message %s to %s refused: %s", job.id, job.address, exc)
            except Exception as exc:     # noqa: BLE001 - one message that cannot be built must not stop the rest
                outbox.mark_failed(job.id, describe(exc))
                log.warning("message %s could not be built: %s", job.id, describe(exc))
            else:
                outbox.mark_sent(job.id)
                sent += 1
    return sent
