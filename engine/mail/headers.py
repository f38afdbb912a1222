"""Header values built safely, whatever people typed into names.

A project name, display name or translation may hold line breaks or other control
characters; in a header they would end the header (or fail the whole message). Every
header value is therefore one line, subjects are cut to a length mail programs show, and
non-ASCII text is encoded by the standard library (RFC 2047), never by hand.
"""
from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

SUBJECT_LIMIT = 150            # characters; longer subjects are cut with an ellipsis
NAME_IN_SUBJECT = 60           # a project name inside a subject is cut first
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_SPACES = re.compile(r"\s+")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str | None) -> str:
    """`text` with every control character and run of whitespace turned into one space."""
    return _SPACES.sub(" ", _BREAKS.sub(" ", text or "")).strip()


def shorten(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def body_text(text: str | None) -> str:
    """Multi-line text for a message body: line breaks kept (as \\n), other controls dropped."""
    return _UNPRINTABLE.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def compose(subject: str, body: str, *, sender: str, to_name: str, to_address: str, message_id: str,
            when: datetime) -> EmailMessage:
    """The e-mail. An address that is not a valid one raises ValueError (the message fails,
    the others go on)."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    if not to_address or _BREAKS.search(to_address) or to_address != to_address.strip():
        raise ValueError(f"not an e-mail address: {to_address!r}")
    msg["To"] = Address(display_name=shorten(to_name, 100), addr_spec=to_address)
    msg["Subject"] = shorten(subject, SUBJECT_LIMIT)
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = one_line(message_id)
    msg["Auto-Submitted"] = "auto-generated"        # RFC 3834: no auto-replies to this
    msg.set_content(body_text(body), charset="utf-8", cte="base64")
    return msg
