"""A task's `instructionsForEndUser` as spiff-arena models write them: a Jinja2 template over
the task's values, in Markdown.

The template comes from a process model, so it runs in a sandbox (no attribute tricks). The
Markdown renderer takes no raw HTML (it is shown as text) and refuses script links, so
neither the model nor the values filled into it can put markup of their own on the page.
"""
from __future__ import annotations

from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup

_SANDBOX = ImmutableSandboxedEnvironment(autoescape=False)
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")
MAX_LENGTH = 10_000


def render_instructions(template: str | None, values: dict) -> Markup:
    if not template:
        return Markup("")
    try:
        text = _SANDBOX.from_string(template).render(**values)
    except (TemplateError, ArithmeticError, TypeError, ValueError):
        text = template
    # markdown-it with html=False escapes every tag and refuses script links: its output is safe markup
    return Markup(_MARKDOWN.render(text[:MAX_LENGTH]))  # nosec B704
