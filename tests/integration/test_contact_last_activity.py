"""Each contact's last activity day, kept on its row by the database (migration 0031), equals the
latest of its activities recounted, after every kind of write: the engine's, a hand edit, the
seeder's plain INSERTs (COPY on PostgreSQL); and the committee's coverage report, which reads it,
counts the same contacts going cold as the ledger's rule applied to the activities themselves."""
from __future__ import annotations

import importlib.util
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from engine.db.connect import MIGRATIONS
from engine.db.ledger import Activity
from engine.db.workspace import Account, Contact
from engine.scale import bulk
from engine.workspace import ledger
from engine.workspace.settings import read as read_settings


def kept(eng) -> dict[str, date | None]:
    with eng.ctx.uow() as uow:
        return dict(uow.session.execute(select(Contact.id, Contact.last_activity_on)).all())


def recounted(eng) -> dict[str, date | None]:
    with eng.ctx.uow() as uow:
        latest = dict(uow.session.execute(select(Activity.contact_id, func.max(Activity.occurred_on))
                                          .group_by(Activity.contact_id)).all())
        return {c: latest.get(c) for c in uow.session.scalars(select(Contact.id))}


def going_cold_recounted(eng) -> dict[str, int]:
    """Per account, its contacts going cold by the ledger's rule over the activity rows themselves."""
    latest = recounted(eng)
    with eng.ctx.uow() as uow:
        s = uow.session
        edge = ledger.today(eng.ctx) - timedelta(days=read_settings(s).going_cold_days)
        counts = {a: 0 for a in s.scalars(select(Account.id))}
        for contact_id, account_id, created in s.execute(select(Contact.id, Contact.account_id, Contact.created_at)):
            counts[account_id] += (latest[contact_id] or created.date()) < edge
    return counts


def migration(name: str):
    spec = importlib.util.spec_from_file_location(name, next((MIGRATIONS / "versions").glob(f"{name}_*.py")))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def contacts(kam_eng):
    eng = kam_eng
    north = eng.accounts.create("amy", {"name": "北區甲 North A", "account_type": "global"})
    other = eng.accounts.create("amy", {"name": "北區乙 North B", "account_type": "national"})
    lin = eng.accounts.add_contact(north, "amy", {"name": "林處長", "decision_role": "decision_maker"})
    wu = eng.accounts.add_contact(north, "amy", {"name": "吳經理", "decision_role": "influencer"})
    chen = eng.accounts.add_contact(other, "amy", {"name": "陳課長", "decision_role": "user"})
    today = ledger.today(eng.ctx)
    for contact, back in ((lin, 200), (lin, 3), (wu, 150), (wu, 120)):
        eng.ledger.record_activity(contact, "amy", {"kind": "other", "occurred_on": (today - timedelta(days=back)).isoformat()})
    return {"north": north, "other": other, "lin": lin, "wu": wu, "chen": chen, "today": today}


def test_an_activity_the_engine_records_sets_its_contacts_day(contacts, kam_eng):
    days = kept(kam_eng)
    assert days == recounted(kam_eng)
    assert days[contacts["lin"]] == contacts["today"] - timedelta(days=3) and days[contacts["chen"]] is None
    assert kam_eng.reports.coverage("col").accounts and going_cold_recounted(kam_eng) == {
        r.account_id: r.going_cold for r in kam_eng.reports.coverage("col").accounts}


def test_an_edited_moved_or_deleted_activity_and_a_moved_contact_keep_the_day_right(contacts, kam_eng):
    with kam_eng.ctx.uow() as uow:
        s = uow.session
        latest = s.scalar(select(Activity.id).where(Activity.contact_id == contacts["lin"])
                          .order_by(Activity.occurred_on.desc()).limit(1))
        s.execute(update(Activity).where(Activity.id == latest).values(occurred_on=contacts["today"] - timedelta(days=90)))
    assert kept(kam_eng) == recounted(kam_eng)
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Activity).where(Activity.id == latest).values(contact_id=contacts["chen"]))
    days = kept(kam_eng)
    assert days == recounted(kam_eng) and days[contacts["chen"]] == contacts["today"] - timedelta(days=90)
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Contact).where(Contact.id == contacts["wu"]).values(account_id=contacts["other"]))
        uow.session.execute(delete(Activity).where(Activity.contact_id == contacts["lin"]))
    days = kept(kam_eng)
    assert days == recounted(kam_eng) and days[contacts["lin"]] is None
    assert going_cold_recounted(kam_eng) == {r.account_id: r.going_cold for r in kam_eng.reports.coverage("col").accounts}


def test_activities_written_as_the_seeder_writes_them_set_their_contacts_day(contacts, kam_eng):
    with kam_eng.ctx.uow() as uow:
        s = uow.session
        rows = [dict(r._mapping) for r in s.execute(select(Activity.__table__))]
        s.execute(delete(Activity))
        bulk.insert(s.connection(), "activities", rows)
    days = kept(kam_eng)
    assert days == recounted(kam_eng) and days[contacts["wu"]] == contacts["today"] - timedelta(days=120)


def test_migration_0031_fills_the_day_of_contacts_with_activities_before_it(contacts, kam_eng):
    expected = kept(kam_eng)
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Contact).values(last_activity_on=None))
        assert migration("0031").fill(uow.session.connection()) == 2
    assert kept(kam_eng) == expected == recounted(kam_eng)
