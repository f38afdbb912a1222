"""Redacting names and free text a project's forms stored: gone from its data, drafts and audit
payloads (its own stream and the account's events about it); audited; the chains verify; the
project still opens and goes on."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import NotAllowed, ValidationFailed
from engine.db.schema import AuditEvent, AuditPayload, Draft, Instance
from engine.demo import complete_open, to_manager_review
from engine.usecases.redaction import MARK

NAME, REMARK, FREE_TEXT = "Director Lin", "Accepted a site visit", "greater Taipei"


def _project_texts(eng, iid) -> str:
    with eng.ctx.uow(read_only=True) as uow:
        s = uow.session
        inst = s.get(Instance, iid)
        events = select(AuditEvent.id).where(AuditEvent.instance_id == iid)
        about = [e.id for e in s.scalars(select(AuditEvent)) if (e.meta or {}).get("instance_id") == iid]
        payloads = s.scalars(select(AuditPayload.data).where(AuditPayload.event_id.in_(events) |
                                                             AuditPayload.event_id.in_(about or [-1])))
        return "\n".join([inst.workflow, inst.project_name, *map(str, payloads),
                          *map(str, s.scalars(select(Draft.data)))])


def test_an_admin_redacts_a_name_and_a_remark_and_the_project_goes_on(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Metro")
    review = kam_eng.tasks("bob")[0]
    kam_eng.drafts.save(review.id, "bob", {"manager_review.comment": f"Ask {NAME} again"})
    assert NAME in _project_texts(kam_eng, iid) and REMARK in _project_texts(kam_eng, iid)
    assert FREE_TEXT in _project_texts(kam_eng, iid)
    assert kam_eng.redact(iid, "zed", [NAME, f"  {REMARK} ", FREE_TEXT, ""]) > 3
    stored = _project_texts(kam_eng, iid)
    assert NAME not in stored and REMARK not in stored and FREE_TEXT not in stored and MARK in stored
    assert kam_eng.instance(iid).data["decision_makers"][0]["name"] == MARK
    assert kam_eng.verify_audit() == []
    with kam_eng.ctx.uow(read_only=True) as uow:
        kinds = uow.session.execute(select(AuditEvent.stream, AuditEvent.actor).where(AuditEvent.kind == "redacted"))
        assert {stream.split(":")[0] for stream, actor in kinds if actor == "zed"} == {"instance", "account"}
    assert kam_eng.task(review.id, "bob").data["decision_makers"][0]["name"] == MARK
    complete_open(kam_eng, iid, "manager_review")
    assert [t.bpmn_id for t in kam_eng.instance(iid).tasks] == ["committee_vote"] * 3


def test_only_an_admin_redacts_and_a_text_that_is_not_there_is_named(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Metro")
    with pytest.raises(NotAllowed):
        kam_eng.redact(iid, "bob", [NAME])
    with pytest.raises(ValidationFailed) as caught:
        kam_eng.redact(iid, "zed", ["nowhere to be found"])
    assert [e.path for e in caught.value.errors] == ["$.texts"]
    assert NAME in _project_texts(kam_eng, iid)
