"""The process catalog: which deployed processes people may start, and what each one is for.

Admins keep it. A process deployed for the first time is offered to everyone signed in, until an
admin names the groups that may start it or takes it out of the catalog (then only admins start
it: e.g. a process that is only ever called by another). Each entry has a description per
language. One entry is the *home* process, the product's own (the key-account process): project
lists and reports show its instances; the instances of any other process are requests.
Every change is an event on the audit log's `system` stream.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .. import auditlog
from ..db.process_catalog import CatalogEntry, CatalogGroup
from ..db.schema import Definition, Group
from ..directory import Person
from ..errors import FieldError, NotAllowed, NotFound, ValidationFailed
from .admin import require_admin

LOCALES = ("zh_Hant", "en")
DESCRIPTION_LENGTH = 2000


@dataclass(frozen=True)
class CatalogEntryView:
    process_id: str
    name: str                       # the latest version's process name
    version: int                    # the latest deployed version
    offered: bool                   # False: only admins may start it
    groups: list[str]               # who may start it; [] = everyone signed in
    descriptions: dict[str, str]    # locale -> text
    home: bool

    def description(self, locale: str) -> str:
        """The description in `locale`, else in the other language, else empty."""
        return self.descriptions.get(locale) or next((t for t in self.descriptions.values() if t), "")


def _latest(session: Session) -> dict[str, Definition]:
    newest = select(Definition.process_id, func.max(Definition.version).label("v")).group_by(Definition.process_id)
    newest = newest.subquery()
    rows = session.scalars(select(Definition).join(newest, (Definition.process_id == newest.c.process_id)
                                                   & (Definition.version == newest.c.v)))
    return {d.process_id: d for d in rows}


def _groups(session: Session) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in session.scalars(select(CatalogGroup).order_by(CatalogGroup.group_name)):
        found.setdefault(row.process_id, []).append(row.group_name)
    return found


def entries(session: Session) -> list[CatalogEntryView]:
    """Every deployed process's entry: the home process first, then by name."""
    latest, groups = _latest(session), _groups(session)
    views = [CatalogEntryView(e.process_id, latest[e.process_id].name or e.process_id, latest[e.process_id].version,
                              e.offered, groups.get(e.process_id, []), dict(e.descriptions or {}), e.home)
             for e in session.scalars(select(CatalogEntry)) if e.process_id in latest]
    return sorted(views, key=lambda v: (not v.home, v.name.casefold(), v.process_id))


def _allowed(view: CatalogEntryView, person: Person) -> bool:
    return person.is_admin or (view.offered and (not view.groups or bool(person.groups & set(view.groups))))


def startable(session: Session, person: Person | None) -> list[CatalogEntryView]:
    """The processes `person` may start, as the catalog page lists them (admins: the offered ones)."""
    if person is None or not person.active:
        return []
    return [v for v in entries(session) if v.offered and _allowed(v, person)]


def check_may_start(session: Session, person: Person | None, process_id: str) -> None:
    if person is None or not person.active:
        raise NotAllowed(f"{getattr(person, 'username', 'nobody')} may not start processes")
    entry = session.get(CatalogEntry, process_id)
    if entry is None or person.is_admin:
        return                              # not deployed (the start reports that), or an admin
    names = set(session.scalars(select(CatalogGroup.group_name).where(CatalogGroup.process_id == process_id)))
    if not entry.offered or (names and not person.groups & names):
        raise NotAllowed(f"{person.username} may not start {process_id}")


def home(session: Session) -> str | None:
    return session.scalar(select(CatalogEntry.process_id).where(CatalogEntry.home.is_(True)).limit(1))


def _check(session: Session, groups: list[str], descriptions: dict[str, str]) -> None:
    errors = []
    known = set(session.scalars(select(Group.name).where(Group.name.in_(groups or [""]))))
    unknown = [g for g in groups if g not in known]
    if unknown:
        errors.append(FieldError("$.groups", f"unknown group(s): {', '.join(unknown)}; create them first"))
    for locale, text in descriptions.items():
        if locale not in LOCALES:
            errors.append(FieldError(f"$.descriptions.{locale}", "use zh_Hant or en"))
        elif not isinstance(text, str) or len(text) > DESCRIPTION_LENGTH:
            errors.append(FieldError(f"$.descriptions.{locale}", f"must be at most {DESCRIPTION_LENGTH} characters"))
    if errors:
        raise ValidationFailed(errors)


def change(ctx, uow, process_id: str, admin: str, offered: bool | None = None, groups: list[str] | None = None,
           descriptions: dict[str, str] | None = None, home_process: bool | None = None) -> CatalogEntryView:
    """An admin changes an entry; only what is given changes. Marking one home unmarks the other."""
    require_admin(uow, admin)
    s = uow.session
    entry = s.get(CatalogEntry, process_id) if process_id else None
    if entry is None:
        raise NotFound(f"No deployed process {process_id!r}")
    groups = sorted(dict.fromkeys(groups)) if groups is not None else None
    descriptions = {k: (v or "").strip() for k, v in descriptions.items()} if descriptions is not None else None
    _check(s, groups or [], descriptions or {})
    before = _state(s, entry)
    if offered is not None:
        entry.offered = bool(offered)
    if descriptions is not None:
        entry.descriptions = {**(entry.descriptions or {}), **descriptions}
    if home_process:
        s.execute(update(CatalogEntry).where(CatalogEntry.process_id != process_id).values(home=False))
    if home_process is not None:
        entry.home = bool(home_process)
    if groups is not None:
        s.execute(delete(CatalogGroup).where(CatalogGroup.process_id == process_id))
        s.add_all(CatalogGroup(process_id=process_id, group_name=g) for g in groups)
    entry.updated_by, entry.updated_at = admin, ctx.clock()
    s.flush()
    after = _state(s, entry)
    if after != before:
        auditlog.record(s, "system", "catalog_changed", admin, ctx.clock(), meta={"process_id": process_id},
                        payload={"before": before, "after": after})
    return next(v for v in entries(s) if v.process_id == process_id)


def _state(session: Session, entry: CatalogEntry) -> dict:
    groups = sorted(session.scalars(select(CatalogGroup.group_name).where(CatalogGroup.process_id == entry.process_id)))
    return {"offered": entry.offered, "home": entry.home, "groups": groups,
            "descriptions": dict(entry.descriptions or {})}


def groups_in_use(session: Session, group: str) -> list[str]:
    """The catalog processes a group may start (a group they name cannot be deleted)."""
    return list(session.scalars(select(CatalogGroup.process_id).where(CatalogGroup.group_name == group)))


class ProcessCatalog:
    """eng.process_catalog: what people may start; admins change it."""

    def __init__(self, eng):
        self._eng = eng

    def entries(self) -> list[CatalogEntryView]:
        return self._eng._read(lambda uow: entries(uow.session))

    def startable(self, user: str) -> list[CatalogEntryView]:
        return self._eng._read(lambda uow: startable(uow.session, uow.directory.find(user)))

    def home(self) -> str | None:
        """The process marked as the product's own, if any."""
        return self._eng._read(lambda uow: home(uow.session))

    def change(self, process_id: str, admin: str, offered: bool | None = None, groups: list[str] | None = None,
               descriptions: dict[str, str] | None = None, home: bool | None = None) -> CatalogEntryView:
        return self._eng._write(lambda uow: change(self._eng.ctx, uow, process_id, admin, offered, groups,
                                                   descriptions, home))
