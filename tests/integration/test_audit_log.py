"""The audit log is append-only and hash-chained; erasing a payload keeps it verifiable."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from engine import Engine, auditlog
from engine.db.connect import MIGRATIONS, make_engine
from engine.db.schema import AuditEvent, AuditPayload
from engine.demo import answer

from ..conftest import DATA
from kamflow.cli import main

P = "review_loop"


def _events(eng, iid):
    with eng.ctx.uow(read_only=True) as uow:
        return list(uow.session.scalars(select(AuditEvent).where(
            AuditEvent.stream == auditlog.instance_stream(iid)).order_by(AuditEvent.seq)))


def _tamper(eng, *statements: str, **params) -> None:
    """What someone with direct database access could do: switch the guard off, change rows."""
    with eng.db.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
            for statement in statements:
                conn.execute(text(statement), params)
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            for statement in statements:
                conn.execute(text(statement), params)


_DELETE = ("DELETE FROM audit_payloads WHERE event_id = :id", "DELETE FROM audit_events WHERE id = :id")


def _started_and_drafted(eng) -> str:
    iid = eng.start(P, "amy", {"project_name": "Metro"})
    task = eng.tasks("amy")[0]
    eng.complete(task.id, "amy", {"draft": {"text": "Ms. Chen's budget"}})
    review = eng.tasks("bob")[0]
    eng.complete(review.id, "bob", {"review": {"decision": "return", "comment": "Which budget?"}})
    return iid


def test_every_event_of_an_instance_is_chained_in_order_and_verifies(loop_eng):
    iid = _started_and_drafted(loop_eng)
    events = _events(loop_eng, iid)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == auditlog.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:]))
    assert loop_eng.verify_audit() == []


def test_the_database_moves_each_head_to_its_streams_newest_event_and_never_back(loop_eng):
    iid = loop_eng.start(P, "amy", {"project_name": "Heads"})
    events = _events(loop_eng, iid)
    stream = auditlog.instance_stream(iid)
    with loop_eng.db.begin() as conn:
        head = conn.execute(text("SELECT seq, hash FROM audit_heads WHERE stream = :s"), {"s": stream}).one()
        assert tuple(head) == (events[-1].seq, events[-1].hash)
        conn.execute(text("INSERT INTO audit_heads (stream, seq, hash) VALUES ('test:x', 5, 'five')"))
        for seq, hash_ in ((3, "three"), (6, "six"), (4, "four")):      # as a seeder might write them
            conn.execute(text("INSERT INTO audit_events (stream, seq, at, kind, meta, payload_hash, prev_hash, hash) "
                              "VALUES ('test:x', :seq, :at, 'written', '{}', 'x', 'x', :h)"),
                         {"seq": seq, "at": datetime.now(), "h": hash_})
        assert tuple(conn.execute(text("SELECT seq, hash FROM audit_heads WHERE stream = 'test:x'")).one()) \
            == (6, "six")


def test_one_append_over_two_streams_gives_each_event_its_own_payload_and_verifies(loop_eng):
    at = datetime.now(timezone.utc)
    with loop_eng.ctx.uow() as uow:
        for stream, kind, payload in (("test:a", "first", {"n": 1}), ("test:b", "second", None),
                                      ("test:a", "third", {"n": 3}), ("test:b", "fourth", {"n": 4})):
            auditlog.record(uow.session, stream, kind, "amy", at, payload=payload)
    with loop_eng.ctx.uow(read_only=True) as uow:
        events = list(uow.session.scalars(select(AuditEvent).where(AuditEvent.stream.in_(["test:a", "test:b"]))))
        kept = auditlog.payloads(uow.session, [e.id for e in events])
        assert sorted((e.stream, e.seq, e.kind, kept.get(e.id)) for e in events) == [
            ("test:a", 1, "first", {"n": 1}), ("test:a", 2, "third", {"n": 3}),
            ("test:b", 1, "second", None), ("test:b", 2, "fourth", {"n": 4})]
        assert auditlog.verify(uow.session, "test:a") == [] and auditlog.verify(uow.session, "test:b") == []


def test_the_database_refuses_to_change_or_delete_an_audit_event(loop_eng):
    iid = _started_and_drafted(loop_eng)
    first = _events(loop_eng, iid)[0]
    for statement in ("UPDATE audit_events SET actor = 'mallory' WHERE id = :id",
                      "DELETE FROM audit_events WHERE id = :id"):
        with pytest.raises(DBAPIError, match="append-only"):
            with loop_eng.db.begin() as conn:
                conn.execute(text(statement), {"id": first.id})
    assert loop_eng.verify_audit() == []


def test_an_altered_event_is_reported_at_its_place(loop_eng):
    iid = _started_and_drafted(loop_eng)
    second = _events(loop_eng, iid)[1]
    _tamper(loop_eng, "UPDATE audit_events SET actor = 'mallory' WHERE id = :id", id=second.id)
    problems = loop_eng.verify_audit()
    assert [(p.stream, p.seq, p.message) for p in problems] == [
        (auditlog.instance_stream(iid), 2, "the event was altered")]


def test_kamflow_audit_verify_reports_the_first_altered_and_the_first_missing_row(loop_eng, capsys):
    assert main(["--db", loop_eng.url, "audit", "verify"]) == 0
    assert "every stream verifies" in capsys.readouterr().out
    altered = _started_and_drafted(loop_eng)
    cut = loop_eng.start(P, "ann", {"project_name": "Ferry"})
    _tamper(loop_eng, "UPDATE audit_events SET actor = 'mallory' WHERE id = :id",
            id=_events(loop_eng, altered)[1].id)
    _tamper(loop_eng, *_DELETE, id=_events(loop_eng, cut)[0].id)
    assert main(["--db", loop_eng.url, "audit", "verify"]) == 1
    first, second = sorted(capsys.readouterr().out.splitlines(), key=lambda line: cut in line)
    assert first == (f"BROKEN {auditlog.instance_stream(altered)} #2 (event {_events(loop_eng, altered)[1].id}): "
                     "the event was altered")
    assert second.startswith(f"BROKEN {auditlog.instance_stream(cut)} #1") and "missing" in second


def test_deploys_go_on_the_system_stream_and_account_changes_on_the_users_stream(eng):
    def kinds(stream):
        with eng.ctx.uow(read_only=True) as uow:
            return [(e.kind, e.actor) for e in uow.session.scalars(
                select(AuditEvent).where(AuditEvent.stream == stream).order_by(AuditEvent.seq))]
    eng.deploy(DATA / "review_loop", user="zed")
    eng.add_user("pat", groups=["rep"], password="tea by the harbour", actor="zed")
    assert eng.authenticate("pat", "tea by the harbour", "192.0.2.1").username == "pat"
    eng.admin.set_active("pat", False, "zed")
    assert eng.authenticate("pat", "tea by the harbour", "192.0.2.1") is None
    assert kinds("system")[-1] == ("deployed", "zed")
    assert kinds("user:pat") == [("user_saved", "zed"), ("signed_in", "pat"), ("deactivated", "zed"),
                                 ("sign_in_failed", None)]
    assert eng.verify_audit() == []


def test_a_deleted_event_in_the_middle_or_at_the_end_is_reported(loop_eng):
    iid = _started_and_drafted(loop_eng)
    events = _events(loop_eng, iid)
    _tamper(loop_eng, *_DELETE, id=events[1].id)
    assert [p.seq for p in loop_eng.verify_audit()] == [3]
    other = _started_and_drafted(loop_eng)
    last = _events(loop_eng, other)[-1]
    _tamper(loop_eng, *_DELETE, id=last.id)
    tail = [p for p in loop_eng.verify_audit() if p.stream == auditlog.instance_stream(other)]
    assert len(tail) == 1 and "missing" in tail[0].message and tail[0].seq == last.seq


def test_an_altered_payload_is_reported_but_an_erased_one_still_verifies(loop_eng):
    iid = _started_and_drafted(loop_eng)
    done = next(e for e in _events(loop_eng, iid) if e.kind == "completed")
    with loop_eng.ctx.uow() as uow:
        row = uow.session.get(AuditPayload, done.id)
        row.data = {"draft": {"text": "changed afterwards"}}
    assert [p.message for p in loop_eng.verify_audit()] == ["its payload was altered"]

    with loop_eng.ctx.uow() as uow:
        auditlog.erase(uow.session, auditlog.instance_stream(iid), [done.id], "zed",
                       datetime.now(timezone.utc), meta={"reason": "data subject request"})
    assert loop_eng.verify_audit() == []
    history = loop_eng.instance(iid).history
    assert "draft" not in next(e for e in history if e.id == done.id).data
    assert history[-1].kind == "erased" and history[-1].data["events"] == [done.id]
    with loop_eng.ctx.uow(read_only=True) as uow:
        assert uow.session.get(AuditPayload, done.id).data is None


def test_a_payload_removed_without_a_recorded_erasure_is_reported(loop_eng):
    iid = _started_and_drafted(loop_eng)
    done = next(e for e in _events(loop_eng, iid) if e.kind == "completed")
    with loop_eng.ctx.uow() as uow:
        uow.session.get(AuditPayload, done.id).data = None
        uow.session.get(AuditPayload, done.id).erased_by = done.id
    assert [p.message for p in loop_eng.verify_audit()] == ["its payload was removed without a recorded erasure"]


def test_writers_on_one_stream_from_many_threads_keep_the_chain_whole(loop_eng):
    stream = "account:test"
    errors = []

    def write(n):
        try:
            for i in range(5):
                loop_eng._write(lambda uow: auditlog.record(uow.session, stream, "noted", f"u{n}",
                                                            datetime.now(timezone.utc), payload={"i": i}))
        except Exception as exc:      # noqa: BLE001 - collected and asserted below
            errors.append(exc)
    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with loop_eng.ctx.uow(read_only=True) as uow:
        seqs = list(uow.session.scalars(select(AuditEvent.seq).where(AuditEvent.stream == stream)
                                        .order_by(AuditEvent.seq)))
    assert seqs == list(range(1, 21))
    assert loop_eng.verify_audit(stream) == []


def test_a_read_only_unit_of_work_cannot_record_events(loop_eng):
    with pytest.raises(RuntimeError, match="read-only"):
        with loop_eng.ctx.uow(read_only=True) as uow:
            auditlog.record(uow.session, "system", "noted", None, datetime.now(timezone.utc))


def test_a_failed_step_records_nothing(kam_eng):
    iid = kam_eng.start("key_account_development", "amy", {"project_name": "Metro"})
    before = len(_events(kam_eng, iid))
    task = next(t for t in kam_eng.tasks("amy") if t.bpmn_id == "customer_info")
    with pytest.raises(Exception):
        kam_eng.complete(task.id, "amy", {"customer": {"name": ""}})
    assert len(_events(kam_eng, iid)) == before
    kam_eng.complete(task.id, "amy", answer("customer_info"))
    assert kam_eng.verify_audit() == []


def test_history_written_before_the_chain_existed_is_chained_by_the_upgrade(db_url):
    old = make_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with old.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        for n, (iid, kind, data) in enumerate([("i-1", "started", {"project_name": "Metro"}),
                                               ("i-2", "started", {}),
                                               ("i-1", "completed", {"draft": {"text": "陳小姐"}})]):
            conn.execute(text("INSERT INTO audit_events (instance_id, at, actor, kind, data) "
                              "VALUES (:i, :at, 'amy', :k, :d)"),
                         {"i": iid, "at": datetime(2026, 11, 1, 9, n, 0, 123456), "k": kind,
                          "d": json.dumps(data, ensure_ascii=False)})
    old.dispose()
    eng = Engine(db_url)
    try:
        assert eng.verify_audit() == []
        with eng.ctx.uow(read_only=True) as uow:
            rows = uow.session.execute(select(AuditEvent.stream, AuditEvent.seq, AuditEvent.kind)
                                       .order_by(AuditEvent.id)).all()
            assert [tuple(r) for r in rows] == [("instance:i-1", 1, "started"), ("instance:i-2", 1, "started"),
                                                ("instance:i-1", 2, "completed")]
            assert auditlog.payloads(uow.session, [3]) == {3: {"draft": {"text": "陳小姐"}}}
    finally:
        eng.close()
