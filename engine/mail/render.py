"""Word a message: subject and body from the kind's template, in one language.

Plain Jinja2 with the i18n extension over two Babel catalogs: the mail's own
(engine/mail/translations) and the process's (forms/i18n, for step names and the labels of
answers, exactly as the web UI translates them). English is the source language.
Every name from the database is made one line before it reaches a template.
"""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from .facts import MailFacts
from .headers import NAME_IN_SUBJECT, body_text, one_line, shorten

HERE = Path(__file__).resolve().parent
LOCALES = ("zh_Hant", "en")
DEFAULT_LOCALE = "zh_Hant"
_LIST_SEPARATOR = {"zh_Hant": "、", "en": ", "}


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def _read_po(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _mail_translations(locale: str):
    po = HERE / "translations" / locale / "LC_MESSAGES" / "mail.po"
    if not po.is_file():
        return NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, _read_po(po))
    compiled.seek(0)
    return Translations(compiled, domain="mail")


def _process_texts(forms_dir: Path | None, locale: str) -> dict[str, str]:
    po = Path(forms_dir) / "i18n" / f"{locale}.po" if forms_dir else None
    if po is None or not po.is_file():
        return {}
    return {m.id: m.string for m in _read_po(po) if m.id and isinstance(m.id, str) and m.string}


class Renderer:
    """One per engine: the catalogs and templates are read once (they are code, not state)."""

    def __init__(self, forms_dir: Path | None):
        self._envs: dict[str, Environment] = {}
        self._texts: dict[str, dict[str, str]] = {}
        for locale in LOCALES:
            # every mail template is plain text (no HTML part): escaping would corrupt it
            env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=False,  # nosec B701
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True, extensions=["jinja2.ext.i18n"])
            env.install_gettext_translations(_mail_translations(locale), newstyle=True)
            self._envs[locale] = env
            self._texts[locale] = _process_texts(forms_dir, locale)

    @staticmethod
    def locale(value: str | None) -> str:
        return value if value in LOCALES else DEFAULT_LOCALE

    def process_text(self, text: str | None, locale: str) -> str:
        """A step name or answer label in `locale` (the process catalog's, else as named)."""
        text = one_line(text)
        return self._texts[self.locale(locale)].get(text) or text

    def letter(self, facts: MailFacts, locale: str | None, base_url: str = "") -> Letter:
        locale = self.locale(locale)
        template = self._template(facts.kind, locale)
        context = self._context(facts, locale, base_url.rstrip("/"))
        body = template.render(context)
        return Letter(self._subject(template, context), body_text(body).strip() + "\n")

    def subject(self, facts: MailFacts, locale: str | None) -> str:
        locale = self.locale(locale)
        template = self._template(facts.kind, locale)
        return self._subject(template, self._context(facts, locale, ""))

    # -- internals --------------------------------------------------------------------------
    def _template(self, kind: str, locale: str):
        try:
            return self._envs[locale].get_template(f"{kind}.txt")
        except TemplateNotFound:
            return self._envs[locale].get_template("_unknown.txt")

    @staticmethod
    def _subject(template, context: dict) -> str:
        short = {**context, "project": shorten(context["project"], NAME_IN_SUBJECT)}
        return one_line("".join(template.blocks["subject"](template.new_context(short))))

    def _context(self, facts: MailFacts, locale: str, base_url: str) -> dict:
        def text(value: str | None) -> str:
            return self.process_text(value, locale)

        def names(values) -> str:
            return _LIST_SEPARATOR[locale].join(one_line(v) for v in values if v)

        decisions = [{"by": one_line(d.by), "decision": text(d.decision),
                      "reason": text(d.reason) if d.reason else "",
                      "comment": body_text(d.comment).strip().replace("\n", "\n    "),
                      "return_to": text(d.return_to) if d.return_to else ""} for d in facts.decisions]
        tally: dict[str, int] = {}
        for d in decisions:
            tally[d["decision"]] = tally.get(d["decision"], 0) + 1
        return {
            "recipient": one_line(facts.recipient), "project": one_line(facts.project),
            "step": names(text(s) for s in facts.steps), "actor": one_line(facts.actor),
            "decisions": decisions, "tally": sorted(tally.items(), key=lambda kv: -kv[1]),
            "next_steps": [{"step": text(n.step), "people": names(n.people)} for n in facts.next_steps],
            "waiting_for": names(facts.waiting_for), "outcome": facts.outcome or "",
            "link": f"{base_url}{facts.link_path}", "settings_link": f"{base_url}/settings/",
        }
