"""The account's timeline: its audit stream (`account:<id>`) in words, newest first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _

from engine.workspace import schemas
from engine.workspace.views import AccountEvent, AccountView

from ..common.i18n import current_locale, form_text
from ..ledger.timeline import ledger_texts
from ..tasks.page import display_names


@dataclass(frozen=True)
class Row:
    at: datetime
    actor: str
    what: str
    link: str | None = None
    fields: str = ""


def stage_label(stage: str | None) -> str:
    return {"acquaintance": _("Acquaintance"), "engagement": _("Engagement"), "trust": _("Trust"),
            "alliance": _("Alliance")}.get(stage or "", _("No stage yet"))


def _field_titles(names: list[str], *schemas_: dict) -> str:
    titles = []
    for name in names:
        node = next((s["properties"][name] for s in schemas_ if name in s["properties"]), {})
        titles.append(form_text(node.get("title") or name))
    return ("、" if current_locale() == "zh_Hant" else ", ").join(titles)


def _person_name(event: AccountEvent, names: dict[str, str]) -> str:
    data = event.data.get("after") or event.data.get("before") or {}
    return data.get("name") or names.get(event.meta.get("contact_id", ""), "") or _("a person")


def _what(event: AccountEvent, view: AccountView, people: dict[str, str]) -> Row:
    contact_names = {c.id: c.name for c in view.contacts}
    competitor_names = {c.id: c.name for c in view.competitors}
    meta, kind = event.meta, event.kind
    project = meta.get("instance_id")
    link = url_for("projects.show", iid=project) if project else None
    fields = _field_titles(meta.get("fields") or [], schemas.ACCOUNT, schemas.CONTACT, schemas.COMPETITOR)
    texts = {
        "account_created": _("Created the account"),
        "account_updated": _("Changed the account"),
        "team_changed": _("Changed who looks after the account"),
        "contact_added": _("Added %(name)s", name=_person_name(event, contact_names)),
        "contact_updated": _("Changed %(name)s", name=_person_name(event, contact_names)),
        "contact_removed": _("Removed %(name)s", name=_person_name(event, contact_names)),
        "stage_changed": _("Relationship with %(name)s: %(before)s → %(after)s",
                           name=contact_names.get(meta.get("contact_id", ""), _("a person")),
                           before=stage_label(meta.get("from")), after=stage_label(meta.get("to"))),
        "competitor_added": _("Added competitor %(name)s", name=_person_name(event, competitor_names)),
        "competitor_updated": _("Changed competitor %(name)s", name=_person_name(event, competitor_names)),
        "competitor_removed": _("Removed competitor %(name)s", name=_person_name(event, competitor_names)),
        "account_handed_over": _("Handed the account over from %(leaver)s to %(successor)s",
                                 leaver=people.get(meta.get("from", ""), meta.get("from", "")),
                                 successor=people.get(meta.get("to", ""), meta.get("to", ""))),
        "contact_handed_over": _("%(name)s passed to %(successor)s, stage to confirm",
                                 name=contact_names.get(meta.get("contact_id", ""), _("a person")),
                                 successor=people.get(meta.get("to", ""), meta.get("to", ""))),
        "stage_confirmed": _("Confirmed the relationship with %(name)s: %(stage)s",
                             name=contact_names.get(meta.get("contact_id", ""), _("a person")),
                             stage=stage_label(meta.get("stage"))),
        "project_started": _("Started the project “%(name)s”", name=event.data.get("project_name") or ""),
        "project_answer_applied": _("A project form updated the account"),
        "project_answer_skipped": _("A project form was not applied: its author is not on the account team"),
        **ledger_texts(event, contact_names),
    }
    actor = people.get(event.actor or "", event.actor or "") if event.actor else _("System")
    return Row(event.at, actor, texts.get(kind, kind), link, fields)


def account_timeline(view: AccountView) -> list[Row]:
    people = display_names()
    return [_what(event, view, people) for event in view.timeline]
