"""The engine's mail: word outbox rows at delivery time and send them one by one.

`render` words a message (Jinja2 + Babel, never Flask), `headers` builds safe header values,
`transport` talks SMTP (or writes to the log), `delivery` runs the queue.
"""
from .facts import KINDS, Decision, MailFacts, NextStep
from .delivery import deliver
from .render import Letter, Renderer
from .transport import SmtpSettings

__all__ = ["KINDS", "Decision", "MailFacts", "NextStep", "Letter", "Renderer", "SmtpSettings", "deliver"]
