"""What a message is about, as plain values: the outbox reads them from the database, the
templates word them. Names are still the process's own (English) names here; the renderer
translates them into the recipient's language."""
from __future__ import annotations

from dataclasses import dataclass

# Kinds the engine queues; each has a template in engine/mail/templates/<kind>.txt.
KINDS = ("task_assigned", "returned", "resubmitted", "decision", "project_ended", "reminder", "escalation")


@dataclass(frozen=True)
class Decision:
    """One person's answer to a review step: the form's labels for its choices."""

    by: str                        # display name
    decision: str                  # e.g. "Return for rework"
    reason: str | None = None      # e.g. "Information is incomplete"
    comment: str | None = None
    return_to: str | None = None   # e.g. "Project proposal"


@dataclass(frozen=True)
class NextStep:
    step: str                      # task name
    people: tuple[str, ...]        # display names of who may do it


@dataclass(frozen=True)
class MailFacts:
    kind: str
    recipient: str                 # display name
    project: str
    steps: tuple[str, ...] = ()    # the task names the message is about
    actor: str | None = None       # display name of whose action caused it
    decisions: tuple[Decision, ...] = ()
    next_steps: tuple[NextStep, ...] = ()
    waiting_for: tuple[str, ...] = ()
    outcome: str | None = None
    link_path: str = "/"
