"""A task's `instructionsForEndUser`, filled in from the task's values in a Jinja2 sandbox.

The template comes from a process model, so it runs sandboxed (no attribute tricks) and
its output is escaped text: only **bold** and line breaks become markup.
"""
from __future__ import annotations

import re

from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

_SANDBOX = ImmutableSandboxedEnvironment(autoescape=False)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
MAX_LENGTH = 10_000


def render_instructions(template: str | None, values: dict) -> Markup:
    if not template:
        return Markup("")
    try:
        text = _SANDBOX.from_string(template).render(**values)
    except (TemplateError, ArithmeticError, TypeError, ValueError):
        text = template
    safe = str(escape(text[:MAX_LENGTH]))
    safe = _BOLD.sub(r"<strong>\1</strong>", safe)
    return Markup("<br>\n".join(safe.splitlines()))
