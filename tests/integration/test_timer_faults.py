"""One failing instance never holds back the timers of the others."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import text


def at_review(loop_eng, names: list[str]) -> list[str]:
    """Instances waiting for bob's review, started in this order (their reminders fall due in it)."""
    iids = [loop_eng.start("review_loop", "amy", {"project_name": name}) for name in names]
    for iid in iids:
        loop_eng.complete(next(t for t in loop_eng.tasks("amy") if t.instance_id == iid).id, "amy",
                          {"draft": {"text": "x"}})
    return iids


def refuse_updates(eng, instance_id: str, only_while_running: bool) -> None:
    """Make the real database refuse to save this instance (a string-too-long data error)."""
    when = "NEW.id = '%s'" % instance_id + (" AND NEW.status = 'running'" if only_while_running else "")
    with eng.db.begin() as conn:
        if eng.db.dialect.name == "postgresql":
            conn.execute(text("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION "
                              "'value too long for type character varying(300)' USING ERRCODE = '22001'; "
                              "END $$ LANGUAGE plpgsql"))
            conn.execute(text(f"CREATE TRIGGER refuse BEFORE UPDATE ON instances FOR EACH ROW WHEN ({when}) "
                              "EXECUTE FUNCTION refuse()"))
        else:
            conn.execute(text(f"CREATE TRIGGER refuse BEFORE UPDATE ON instances WHEN {when} "
                              "BEGIN SELECT RAISE(ABORT, 'value too long'); END"))


def reminders(eng, iid: str) -> int:
    return [e.kind for e in eng.instance(iid).history].count("reminder")


LATER = timedelta(days=4)


def test_a_database_error_on_one_instance_becomes_its_incident_and_the_others_still_fire(loop_eng):
    first, *behind = at_review(loop_eng, ["Refused", "Behind 1", "Behind 2"])
    refuse_updates(loop_eng, first, only_while_running=True)
    assert loop_eng.fire_timers(datetime.now(timezone.utc) + LATER) == 2
    assert [reminders(loop_eng, iid) for iid in behind] == [1, 1]
    view = loop_eng.instance(first)
    incident, = loop_eng.admin.incidents("zed")
    assert view.status == "error" and reminders(loop_eng, first) == 0
    assert incident["instance_id"] == first and "value too long" in incident["message"]
    assert len(incident["message"]) < 300                   # the reason, not the whole statement


def notices(eng, iid: str) -> list[str]:
    with eng.db.connect() as conn:
        return list(conn.scalars(text("SELECT kind FROM notifications WHERE instance_id = :id"), {"id": iid}))


def test_the_reminder_of_an_instance_that_failed_is_never_queued_and_the_others_are(loop_eng):
    """Notices go in at the commit (db/late_inserts.py): the failed instance's savepoint takes its own back."""
    first, *behind = at_review(loop_eng, ["Refused", "Behind 1", "Behind 2"])
    refuse_updates(loop_eng, first, only_while_running=True)
    assert loop_eng.fire_timers(datetime.now(timezone.utc) + LATER) == 2
    assert notices(loop_eng, first).count("reminder") == 0
    assert [notices(loop_eng, iid).count("reminder") for iid in behind] == [1, 1]


def test_an_instance_that_fails_every_round_never_starves_the_timers_behind_it(loop_eng):
    first, *behind = at_review(loop_eng, ["Always refused", "Behind 1", "Behind 2"])
    refuse_updates(loop_eng, first, only_while_running=False)      # not even an incident can be saved
    now = datetime.now(timezone.utc) + LATER
    assert loop_eng.fire_timers(now) == 2
    assert loop_eng.fire_timers(now) == 0                           # tried again, fails again, quietly
    assert [reminders(loop_eng, iid) for iid in behind] == [1, 1]
    assert loop_eng.instance(first).status == "running" and reminders(loop_eng, first) == 0


def test_a_project_whose_name_fills_its_column_never_blocks_the_reminders_queued_behind_it(loop_eng):
    """The issue's case: a long name made the reminder's subject overflow on PostgreSQL, every round."""
    long_one, *behind = at_review(loop_eng, ["Long", "Behind 1", "Behind 2"])
    with loop_eng.db.begin() as conn:
        conn.execute(text("UPDATE instances SET project_name = :name WHERE id = :id"),
                     {"name": "長" * 300, "id": long_one})
    loop_eng.fire_timers(datetime.now(timezone.utc) + LATER)
    assert [reminders(loop_eng, iid) for iid in behind] == [1, 1]
    view = loop_eng.instance(long_one)
    assert reminders(loop_eng, long_one) == 1 or (view.status == "error" and loop_eng.admin.incidents("zed"))


def refuse_audit_events(eng, instance_id: str) -> None:
    """Make the real database refuse every audit event of this instance (appended at commit)."""
    with eng.db.begin() as conn:
        if eng.db.dialect.name == "postgresql":
            conn.execute(text("CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION "
                              "'audit refused' USING ERRCODE = '23514'; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW "
                              f"WHEN (NEW.instance_id = '{instance_id}') EXECUTE FUNCTION refuse_audit()"))
        else:
            conn.execute(text(f"CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events "
                              f"WHEN NEW.instance_id = '{instance_id}' BEGIN SELECT RAISE(ABORT, 'audit refused'); END"))


def test_a_batch_refused_at_its_commit_fires_again_one_instance_at_a_time_and_only_the_bad_one_stays_behind(loop_eng):
    behind_1, refused, behind_2 = at_review(loop_eng, ["Behind 1", "Refused at commit", "Behind 2"])
    refuse_audit_events(loop_eng, refused)       # its reminder's event fails the batch's commit
    now = datetime.now(timezone.utc) + LATER
    assert loop_eng.fire_timers(now) == 2
    assert [reminders(loop_eng, iid) for iid in (behind_1, behind_2)] == [1, 1]
    assert loop_eng.instance(refused).status == "running" and reminders(loop_eng, refused) == 0
    assert loop_eng.fire_timers(now) == 0                            # tried again next round, quietly
    assert loop_eng.verify_audit() == []
