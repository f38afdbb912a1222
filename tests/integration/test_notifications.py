"""Who hears what: the right message to the right person after each step, and none about
work a person's own action created."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from engine.demo import INFORMATION, answer, complete_open, to_committee, to_manager_review

P = "key_account_development"


def inbox_of(eng, username: str) -> list[tuple[str, str]]:
    """(kind, English subject) of `username`'s notifications, oldest first."""
    return [(n.kind, n.subject) for n in reversed(eng.notifications.for_user(username, locale="en", limit=100))]


def kinds(eng, username: str) -> list[str]:
    return [kind for kind, _subject in inbox_of(eng, username)]


def body_of_latest(eng, username: str) -> str:
    """The body of `username`'s newest message as mailed, in English."""
    found = [n for n in eng.notifications.page("zed", per_page=200, locale="en").items if n.username == username]
    return eng.notifications.message("zed", found[0].id, locale="en").body


def vote(eng, iid: str, decisions: dict[str, str]) -> None:
    """Each member votes, in the order given."""
    votes = {t.assignee: t for t in eng.instance(iid).tasks}
    for member, decision in decisions.items():
        eng.complete(votes[member].id, member, answer("committee_vote", decision=decision))


def test_starting_a_project_and_filling_in_her_own_forms_mails_the_rep_nothing(kam_eng):
    to_manager_review(kam_eng, "amy", "Metro")
    assert kinds(kam_eng, "amy") == []
    assert inbox_of(kam_eng, "bob") == [("task_assigned", "New task: Department manager review – Metro")]


def test_a_return_goes_to_the_rep_and_her_resubmission_to_the_manager_as_revised(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Metro")
    complete_open(kam_eng, iid, "manager_review", "return")
    assert inbox_of(kam_eng, "amy") == [("returned", "Returned to you: Project proposal – Metro")]
    body = body_of_latest(kam_eng, "amy")
    assert "bob has returned the project “Metro” to you" in body
    assert "Reason: Information is incomplete" in body and "add the budget approval steps" in body
    complete_open(kam_eng, iid, "proposal")
    assert inbox_of(kam_eng, "bob")[-1] == ("resubmitted", "Revised and resubmitted: Department manager review – Metro")
    assert kinds(kam_eng, "bob") == ["task_assigned", "resubmitted"]


def test_a_return_to_information_gathering_sends_the_rep_one_message_naming_every_form(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Metro")
    complete_open(kam_eng, iid, "manager_review", "return", return_to="information")
    (kind, subject), = inbox_of(kam_eng, "amy")
    assert kind == "returned" and subject.startswith("Returned to you: Customer information, Competitor information")
    for bpmn_id in INFORMATION:
        complete_open(kam_eng, iid, bpmn_id)
    complete_open(kam_eng, iid, "proposal")
    assert kinds(kam_eng, "amy") == ["returned"] and kinds(kam_eng, "bob") == ["task_assigned", "resubmitted"]


def test_the_rep_hears_each_review_result_and_that_the_project_was_established(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    assert [kinds(kam_eng, m) for m in ("cat", "cid", "col")] == [["task_assigned"]] * 3
    vote(kam_eng, iid, {"cat": "approve", "col": "approve", "cid": "return"})
    assert kinds(kam_eng, "col") == ["task_assigned", "task_assigned"]          # the authorisation, from cid
    complete_open(kam_eng, iid, "authorisation")
    assert inbox_of(kam_eng, "amy") == [
        ("decision", "Department manager review: Approve – Metro"),
        ("decision", "Committee vote is complete – Metro"),
        ("project_ended", "Project established: Metro")]
    assert kinds(kam_eng, "bob") == ["task_assigned"]


def test_the_committees_result_names_the_votes_and_the_next_step(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    vote(kam_eng, iid, {"cat": "approve", "cid": "approve", "col": "approve"})
    body = body_of_latest(kam_eng, "amy")
    assert "- Approve: 3 people" in body and "Next step: Authorise the project (col)." in body
    assert kinds(kam_eng, "col") == ["task_assigned"]               # he created the authorisation himself


def test_a_committee_return_tells_the_rep_once_with_every_members_reason(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    vote(kam_eng, iid, {"cat": "return", "cid": "return", "col": "approve"})
    assert inbox_of(kam_eng, "amy")[1:] == [("returned", "Returned to you: Project proposal – Metro")]
    body = body_of_latest(kam_eng, "amy")
    assert body.count("Reason: Information is incomplete") == 2 and "- col: Approve" in body


def test_a_committee_decline_tells_the_rep_once_that_the_project_was_declined(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    vote(kam_eng, iid, {"cat": "decline", "cid": "decline", "col": "decline"})
    assert inbox_of(kam_eng, "amy")[1:] == [("project_ended", "Project declined: Metro")]
    assert body_of_latest(kam_eng, "amy").count(": Decline") == 3


def test_reminders_go_to_the_reviewer_and_escalations_name_whom_they_wait_for(kam_eng):
    to_manager_review(kam_eng, "amy", "Slow")
    assert kam_eng.fire_timers(datetime.now(timezone.utc) + timedelta(days=8)) == 2
    assert inbox_of(kam_eng, "bob")[-1] == ("reminder", "Reminder: Department manager review – Slow")
    assert inbox_of(kam_eng, "dan") == [("escalation", "Overdue: Department manager review – Slow")]
    assert "which is waiting for bob" in body_of_latest(kam_eng, "dan")
    assert kinds(kam_eng, "amy") == []


def test_an_admin_reassigning_a_task_notifies_the_new_assignee_but_not_themselves(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Metro")
    review = kam_eng.instance(iid).tasks[0]
    kam_eng.admin.reassign(review.id, "dan", "dan")
    kam_eng.admin.reassign(review.id, "dan", "bob")
    assert kinds(kam_eng, "dan") == [] and kinds(kam_eng, "bob") == ["task_assigned", "task_assigned"]
