"""A completion numbers its audit events on from the head its lock read, without claiming the head
(engine/auditlog.py `known_head`), on both databases: when another writer appended to the project's
stream in between, the stream's unique numbers turn the events away, the step runs again from the
start, and the chain stays whole with both writers' events in it."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from engine import Engine, auditlog
from engine.db.schema import AuditEvent
from engine.demo import answer, to_manager_review

from ..conftest import ROOT
from ..statements import counted


def kinds(eng, iid: str) -> list[str]:
    with eng.ctx.uow(read_only=True) as uow:
        return list(uow.session.scalars(select(AuditEvent.kind).where(
            AuditEvent.stream == auditlog.instance_stream(iid)).order_by(AuditEvent.seq)))


def test_a_completion_overtaken_on_its_stream_runs_again_and_the_chain_stays_whole(kam_eng, db_url):
    eng = kam_eng.home
    other = Engine(db_url, forms_dir=ROOT / "forms")         # another process, its own connections
    iid = to_manager_review(eng, "amy", "Overtaken")
    review = next(t for t in eng.instance(iid).tasks if t.bpmn_id == "manager_review")
    asked = []

    def answer_after_another_writer(_task):
        """Asked once the task is locked (its stream's head read): the first time, someone else appends."""
        asked.append(1)
        if len(asked) == 1:
            with other.ctx.uow() as uow:
                auditlog.record(uow.session, auditlog.instance_stream(iid), "noted", "zed",
                                datetime.now(timezone.utc), instance_id=iid)
        return answer("manager_review")
    try:
        eng.complete_step(review.id, "bob", answer_after_another_writer)
    finally:
        other.close()
    assert len(asked) == 2                                      # turned away once, then done
    assert kinds(eng, iid)[-2:] == ["noted", "completed"]
    assert eng.verify_audit(auditlog.instance_stream(iid)) == []
    assert {t.bpmn_id for t in eng.instance(iid).tasks} == {"committee_vote"}


def test_a_completion_claims_no_audit_head_its_lock_already_read(kam_eng):
    eng = kam_eng.home
    iid = to_manager_review(eng, "amy", "No claim")
    review = next(t for t in eng.instance(iid).tasks if t.bpmn_id == "manager_review")
    with counted(eng.db) as seen:
        eng.complete(review.id, "bob", answer("manager_review"))
    assert seen.count("INSERT INTO audit_heads") == 0, seen.report()
    assert eng.verify_audit(auditlog.instance_stream(iid)) == []
