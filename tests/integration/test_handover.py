"""Leavers: a manager hands an account (or all of a leaver's) to a successor, the ledger stays as
it was, and the successor confirms each person's stage (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from engine import Conflict, Engine, NotAllowed, ValidationFailed
from engine.db.connect import MIGRATIONS, make_engine
from engine.db.ledger import Activity, Gift, StageTarget
from engine.db.schema import AuditEvent
from engine.db.workspace import ContactStageChange
from engine.demo import PROCESS


def account_of_amy(eng, name="台北捷運公司") -> tuple[str, str, str]:
    """An account amy owns (ann on the team) with a decision maker amy looks after and a person ann does."""
    account_id = eng.accounts.create("amy", {"name": name, "account_type": "national", "team": ["ann"]})
    lin = eng.accounts.add_contact(account_id, "amy", {"name": "林主任", "decision_role": "decision_maker"})
    chen = eng.accounts.add_contact(account_id, "amy", {"name": "陳經理", "decision_role": "influencer",
                                                        "owner": "ann"})
    return account_id, lin, chen


def ledger_rows(eng, account_id: str) -> list:
    """Everything the ledger holds for the account, with who recorded it."""
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        return [sorted((a.contact_id, a.kind, a.recorded_by) for a in s.scalars(
                    select(Activity).where(Activity.account_id == account_id))),
                sorted((g.contact_id, g.amount, g.recorded_by) for g in s.scalars(
                    select(Gift).where(Gift.account_id == account_id))),
                sorted((t.contact_id, t.stage, t.set_by) for t in s.scalars(select(StageTarget))),
                sorted((c.contact_id, c.from_stage, c.to_stage, c.cause, c.changed_by) for c in s.scalars(
                    select(ContactStageChange)))]


def kinds_on(eng, account_id: str) -> list[str]:
    with eng.ctx.uow(read_only=True) as uow:
        return list(uow.session.scalars(select(AuditEvent.kind).where(AuditEvent.stream == f"account:{account_id}")
                                        .order_by(AuditEvent.seq)))


def test_a_manager_hands_a_leavers_account_to_a_successor_who_owns_it_and_the_leavers_people(kam_eng):
    eng = kam_eng
    account_id, lin, chen = account_of_amy(eng)
    eng.ledger.record_activity(lin, "amy", {"kind": "business_meal", "occurred_on": "2026-01-10", "notes": "午餐"})
    eng.ledger.set_target(lin, "amy", {"stage": "trust", "due_on": "2026-12-31"})
    eng.ledger.record_gift(account_id, "amy", {"contact_id": lin, "kind": "gift", "description": "茶葉禮盒",
                                               "given_on": "2026-01-10", "amount": 800, "currency": "TWD"})
    iid = eng.start(PROCESS, "amy", {"project_name": "票務系統", "account_id": account_id})
    before = ledger_rows(eng, account_id)
    eng.admin.set_active("amy", False, "zed")                  # the leaver has gone already

    done = eng.accounts.hand_over(account_id, "bob", {"successor": " ann "})

    assert (done.leaver, done.successor, done.account_ids, done.contacts) == ("amy", "ann", [account_id], 1)
    assert [(p.id, p.project_name) for p in done.open_projects] == [(iid, "票務系統")]   # stays amy's, listed
    assert eng.instance(iid).owner == "amy"
    view = eng.accounts.get(account_id, "ann")
    assert (view.owner, view.team, view.may_manage) == ("ann", [], True)
    people = {c.name: (c.owner, c.stage_confirm_by, c.relationship_stage) for c in view.contacts}
    assert people == {"林主任": ("ann", "ann", "engagement"), "陳經理": ("ann", None, None)}
    assert ledger_rows(eng, account_id) == before                # nothing of the ledger moved or changed hands
    assert [(s.name, s.stage) for s in eng.accounts.stages_to_confirm("ann")] == [("林主任", "engagement")]
    assert kinds_on(eng, account_id)[-2:] == ["account_handed_over", "contact_handed_over"]


def test_a_rep_or_the_owner_may_not_hand_over_and_the_successor_must_be_an_active_user(eng):
    account_id, lin, _chen = account_of_amy(eng)
    for who in ("ann", "amy", "cat"):
        with pytest.raises(NotAllowed):
            eng.accounts.hand_over(account_id, who, {"successor": "ann"})
    eng.admin.set_active("ann", False, "zed")
    for successor in ("ann", "nobody", "amy"):
        with pytest.raises(ValidationFailed) as refused:
            eng.accounts.hand_over(account_id, "bob", {"successor": successor})
        assert [e.path for e in refused.value.errors] == ["$.successor"]
    assert eng.accounts.get(account_id, "amy").owner == "amy"
    assert eng.accounts.contact(lin, "amy").stage_confirm_by is None


def test_an_admin_hands_over_every_account_of_a_leaver_at_once(eng):
    first, lin, _ = account_of_amy(eng)
    second, wu, _ = account_of_amy(eng, "高雄港務公司")
    theirs = eng.accounts.create("ann", {"name": "中華電信", "account_type": "national"})
    done = eng.accounts.hand_over_all("amy", "zed", {"successor": "ann"})
    assert (sorted(done.account_ids), done.contacts) == (sorted([first, second]), 2)
    assert {eng.accounts.get(a, "ann").owner for a in (first, second, theirs)} == {"ann"}
    assert len(eng.accounts.stages_to_confirm("ann")) == 2
    with pytest.raises(NotAllowed):
        eng.accounts.hand_over_all("ann", "amy", {"successor": "amy"})


def test_confirming_keeps_the_stage_clears_the_mark_and_is_in_the_stage_history(eng):
    account_id, lin, chen = account_of_amy(eng)
    eng.ledger.record_activity(lin, "amy", {"kind": "phone_contact", "occurred_on": "2026-01-10"})
    eng.accounts.hand_over(account_id, "bob", {"successor": "ann"})
    with pytest.raises(NotAllowed):
        eng.accounts.confirm_stage(lin, "amy", {})
    eng.accounts.confirm_stage(lin, "ann", {"stage": "acquaintance"})
    contact = eng.accounts.contact(lin, "ann")
    last = contact.stage_history[-1]
    assert (contact.relationship_stage, contact.stage_confirm_by) == ("acquaintance", None)
    assert (last.from_stage, last.to_stage, last.cause, last.by) == ("acquaintance", "acquaintance", "confirmed", "ann")
    assert eng.accounts.stages_to_confirm("ann") == []
    assert kinds_on(eng, account_id)[-1] == "stage_confirmed"
    with pytest.raises(Conflict):
        eng.accounts.confirm_stage(lin, "ann", {})
    with pytest.raises(Conflict):
        eng.accounts.confirm_stage(chen, "ann", {})            # ann looked after 陳經理 already: nothing to confirm


def test_the_successor_lowers_a_stage_only_with_a_reason_and_raises_it_only_on_a_marker_activity(eng):
    account_id, lin, _chen = account_of_amy(eng)
    eng.ledger.record_activity(lin, "amy", {"kind": "business_meal", "occurred_on": "2026-01-10"})
    eng.accounts.hand_over(account_id, "dan", {"successor": "ann"})
    for document, field in (({"stage": "acquaintance"}, "$.reason"), ({"stage": "trust"}, "$.stage")):
        with pytest.raises(ValidationFailed) as refused:
            eng.accounts.confirm_stage(lin, "ann", document)
        assert [e.path for e in refused.value.errors] == [field]
    assert eng.accounts.contact(lin, "ann").stage_confirm_by == "ann"
    eng.accounts.confirm_stage(lin, "ann", {"stage": "acquaintance", "reason": " 前任離職後久未聯繫 "})
    contact = eng.accounts.contact(lin, "ann")
    last = contact.stage_history[-1]
    assert (contact.relationship_stage, contact.stage_confirm_by) == ("acquaintance", None)
    assert (last.to_stage, last.cause, last.reason, last.by) == ("acquaintance", "fall", "前任離職後久未聯繫", "ann")


def test_the_migration_adds_the_mark_to_a_database_that_holds_people_and_their_history(db_url):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    db = make_engine(db_url)
    with db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0013")
    t = {"t": datetime(2026, 11, 1, tzinfo=timezone.utc).replace(tzinfo=None)}
    with db.begin() as conn:
        conn.execute(text("INSERT INTO users (username, display_name, active, time_zone, locale, notify, created_at) "
                          "VALUES ('amy', 'Amy', true, 'Asia/Taipei', 'en', true, :t)"), t)
        conn.execute(text("INSERT INTO accounts (id, name, account_type, industry, business, industry_basics, "
                          "organisation_structure, purchasing_department, supporting_departments, contact_channels, "
                          "similar_products_in_use, owner, created_at, updated_at, version) VALUES ('a1', '台北捷運', "
                          "'national', '', '', '', '', '', '[]', '[]', '', 'amy', :t, :t, 1)"), t)
        conn.execute(text("INSERT INTO contacts (id, account_id, name, title, department, top_executive, leader, "
                          "public_official, relationship_stage, owner, created_at, updated_at, version) VALUES "
                          "('c1', 'a1', '林主任', '', '', false, false, false, 'trust', 'amy', :t, :t, 1)"), t)
        conn.execute(text("INSERT INTO contact_stage_changes (contact_id, to_stage, cause, reason, changed_by, "
                          "changed_at) VALUES ('c1', 'trust', 'ledger', '', 'amy', :t)"), t)
    db.dispose()
    eng = Engine(db_url)
    try:
        contact = eng.accounts.contact("c1", "amy")
        assert (contact.relationship_stage, contact.stage_confirm_by) == ("trust", None)
        assert [c.to_stage for c in contact.stage_history] == ["trust"]
    finally:
        eng.close()
