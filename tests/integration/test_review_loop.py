"""The engine's core behaviour on a tiny draft → review loop (tests/data/review_loop)."""
from __future__ import annotations

import pytest

from engine import Conflict, NotAllowed, NotFound, ValidationFailed

pytestmark = pytest.mark.across_processes


def start_and_draft(eng, owner="amy"):
    iid = eng.start("review_loop", owner, {"project_name": "Loop"})
    draft = eng.tasks(owner)[0]
    eng.complete(draft.id, owner, {"draft": {"text": "first"}})
    return iid


def test_start_gives_the_owner_the_first_task(loop_eng):
    iid = loop_eng.start("review_loop", "amy", {"project_name": "Loop"})
    tasks = loop_eng.tasks("amy")
    assert [(t.bpmn_id, t.instance_id, t.assignee, t.lane) for t in tasks] == [("draft", iid, "amy", "rep")]
    assert loop_eng.instance(iid).status == "running"


def test_review_goes_to_the_owners_department_manager_only(loop_eng):
    start_and_draft(loop_eng)
    assert [t.bpmn_id for t in loop_eng.tasks("bob")] == ["review"]
    assert loop_eng.tasks("dan") == [] and loop_eng.tasks("amy") == []


@pytest.mark.core_path
def test_return_sends_the_draft_back_and_approval_ends_the_instance(loop_eng):
    iid = start_and_draft(loop_eng)
    review = loop_eng.tasks("bob")[0]
    nxt = loop_eng.complete(review.id, "bob", {"review": {"decision": "return", "comment": "why?"}})
    assert nxt == []
    again = loop_eng.tasks("amy")[0]
    assert again.bpmn_id == "draft" and again.id != loop_eng.instance(iid).history[1].task_id
    loop_eng.complete(again.id, "amy", {"draft": {"text": "second"}})
    loop_eng.complete(loop_eng.tasks("bob")[0].id, "bob", {"review": {"decision": "approve"}})
    view = loop_eng.instance(iid)
    assert (view.status, view.outcome, view.tasks) == ("completed", "established", [])
    kinds = [(e.kind, e.bpmn_id, e.actor) for e in view.history]
    assert kinds[:6] == [("started", None, "amy"), ("completed", "draft", "amy"), ("completed", "review", "bob"),
                         ("completed", "draft", "amy"), ("completed", "review", "bob"), ("ended", None, None)]
    assert view.history[2].data["review"]["comment"] == "why?"


def test_a_stale_task_id_from_an_earlier_round_is_refused(loop_eng):
    iid = loop_eng.start("review_loop", "amy", {"project_name": "Loop"})
    first = loop_eng.tasks("amy")[0]
    loop_eng.complete(first.id, "amy", {"draft": {"text": "v1"}})
    loop_eng.complete(loop_eng.tasks("bob")[0].id, "bob", {"review": {"decision": "return"}})
    with pytest.raises(Conflict):
        loop_eng.complete(first.id, "amy", {"draft": {"text": "resubmitted from an old tab"}})
    assert loop_eng.instance(iid).data["draft"] == {"text": "v1"}


def test_someone_not_entitled_cannot_complete_and_nothing_is_saved(loop_eng):
    iid = start_and_draft(loop_eng)
    review = loop_eng.tasks("bob")[0]
    before = loop_eng.instance(iid)
    for intruder in ("ann", "cat", "nobody"):
        with pytest.raises(NotAllowed):
            loop_eng.complete(review.id, intruder, {"review": {"decision": "approve"}})
    after = loop_eng.instance(iid)
    assert (after.status, after.data, len(after.history)) == (before.status, before.data, len(before.history))


def test_an_admin_does_not_decide_in_the_reviewers_place_but_reassigns_and_never_reviews_their_own(loop_eng):
    iid = start_and_draft(loop_eng)
    review = loop_eng.tasks("bob")[0]
    with pytest.raises(NotAllowed):
        loop_eng.complete(review.id, "zed", {"review": {"decision": "return"}})
    with pytest.raises(NotAllowed):
        loop_eng.task(review.id, "zed")
    loop_eng.admin.reassign(review.id, "zed", "cat")
    loop_eng.complete(review.id, "cat", {"review": {"decision": "return"}})
    assert [(e.kind, e.actor) for e in loop_eng.instance(iid).history if e.kind in ("reassigned", "completed")][-2:] \
        == [("reassigned", "zed"), ("completed", "cat")]
    own = loop_eng.start("review_loop", "dan", {"project_name": "Dan's own"})
    loop_eng.complete(loop_eng.tasks("dan")[0].id, "dan", {"draft": {"text": "mine"}})
    review = next(t for t in loop_eng.tasks("zed") if t.instance_id == own) if loop_eng.tasks("zed") else None
    rows = [t for t in loop_eng.instance(own).tasks if t.bpmn_id == "review"]
    assert rows and rows[0].assignee != "dan"
    with pytest.raises(NotAllowed):
        loop_eng.complete(rows[0].id, "dan", {"review": {"decision": "approve"}})
    assert review is None or review.bpmn_id == "review"


def test_invalid_form_data_lists_every_failing_field_and_saves_nothing(loop_eng):
    iid = loop_eng.start("review_loop", "amy", {"project_name": "Loop"})
    draft = loop_eng.tasks("amy")[0]
    with pytest.raises(ValidationFailed) as caught:
        loop_eng.complete(draft.id, "amy", {"draft": {"text": ""}, "extra": 1})
    assert {e.path for e in caught.value.errors} == {"$.draft.text", "$.extra"}
    assert loop_eng.tasks("amy")[0].id == draft.id
    assert [e.kind for e in loop_eng.instance(iid).history] == ["started"]


def test_read_only_header_fields_are_never_taken_from_user_input(loop_eng):
    iid = loop_eng.start("review_loop", "amy", {"project_name": "Loop"})
    draft = loop_eng.tasks("amy")[0]
    loop_eng.complete(draft.id, "amy", {"draft": {"text": "x"}, "project_name": "Hijacked"})
    assert loop_eng.instance(iid).data["project_name"] == "Loop"


def test_unknown_ids_raise_not_found(loop_eng):
    with pytest.raises(NotFound):
        loop_eng.complete("00000000-0000-0000-0000-000000000000", "amy", {})
    with pytest.raises(NotFound):
        loop_eng.instance("no-such-instance")
    with pytest.raises(NotFound):
        loop_eng.start("no_such_process", "amy", {"project_name": "x"})
    with pytest.raises(NotFound):
        loop_eng.claim("missing", "amy")


def test_a_doubled_completion_is_a_conflict_and_changes_nothing(loop_eng):
    iid = start_and_draft(loop_eng)
    review = loop_eng.tasks("bob")[0]
    loop_eng.complete(review.id, "bob", {"review": {"decision": "approve"}})
    with pytest.raises(Conflict):
        loop_eng.complete(review.id, "bob", {"review": {"decision": "return"}})
    assert loop_eng.instance(iid).outcome == "established"


def test_withdrawal_ends_the_project_and_closes_its_tasks(loop_eng):
    iid = start_and_draft(loop_eng)
    with pytest.raises(NotAllowed):
        loop_eng.withdraw(iid, "ann")
    loop_eng.withdraw(iid, "amy", reason="customer postponed")
    view = loop_eng.instance(iid)
    assert (view.status, view.outcome, view.tasks) == ("completed", "withdrawn", [])
    assert loop_eng.tasks("bob") == []
    assert view.history[-1].kind == "withdrawn" and view.history[-1].data == {"reason": "customer postponed"}


def test_suspended_instances_accept_no_work_until_resumed(loop_eng):
    iid = start_and_draft(loop_eng)
    review = loop_eng.tasks("bob")[0]
    with pytest.raises(NotAllowed):
        loop_eng.suspend(iid, "amy")
    loop_eng.suspend(iid, "zed")
    with pytest.raises(Conflict):
        loop_eng.complete(review.id, "bob", {"review": {"decision": "approve"}})
    loop_eng.resume(iid, "zed")
    loop_eng.complete(review.id, "bob", {"review": {"decision": "approve"}})
    assert loop_eng.instance(iid).outcome == "established"


def test_a_blank_display_name_field_falls_back_to_the_process_name_and_number(loop_eng):
    first = loop_eng.start("review_loop", "amy", {"project_name": "  "})
    second = loop_eng.start("review_loop", "amy", {})
    assert [loop_eng.instance(i).project_name for i in (first, second)] == ["Review loop #1", "Review loop #2"]


def test_inbox_entries_carry_their_form(loop_eng):
    loop_eng.start("review_loop", "amy", {"project_name": "Loop"})
    (task,) = loop_eng.tasks("amy")
    assert task.form["title"] == "Draft" and task.ui_schema is None and task.values == {}
    opened = loop_eng.task(task.id, "amy")
    assert opened.values == {"project_name": "Loop"}
