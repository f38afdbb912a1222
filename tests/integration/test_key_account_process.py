"""The real stage-1 process (workflows/), end to end, on both databases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engine import NotAllowed, ValidationFailed
from engine.demo import INFORMATION, answer, complete_open, to_committee, to_manager_review
from engine.db.schema import Instance, Notification
from sqlalchemy import select

pytestmark = pytest.mark.across_processes

P = "key_account_development"


def open_ids(eng, iid):
    return sorted(t.bpmn_id for t in eng.instance(iid).tasks)


def test_information_gathering_offers_all_five_forms_to_the_rep_at_once(kam_eng):
    iid = kam_eng.start(P, "amy", {"project_name": "Metro"})
    assert open_ids(kam_eng, iid) == sorted(INFORMATION)
    assert {t.assignee for t in kam_eng.tasks("amy")} == {"amy"}
    assert all(t.lane == "rep" for t in kam_eng.tasks("amy"))


@pytest.mark.core_path
def test_the_happy_path_ends_with_the_project_established(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    votes = [t for t in kam_eng.instance(iid).tasks if t.bpmn_id == "committee_vote"]
    assert sorted(t.assignee for t in votes) == ["cat", "cid", "col"]
    assert sorted(complete_open(kam_eng, iid, "committee_vote")) == ["cat", "cid", "col"]
    auth = kam_eng.tasks("col")
    assert [t.bpmn_id for t in auth] == ["authorisation"] and auth[0].group == "group:chair"
    kam_eng.complete(auth[0].id, "col", answer("authorisation"))
    view = kam_eng.instance(iid)
    assert (view.status, view.outcome) == ("completed", "established")
    assert view.data["authorisation"]["budget_ceiling"] == {"amount": 300_000, "currency": "TWD"}
    assert view.data["voting_rule"] == "two_thirds"          # 2.5M TWD national account
    assert view.data["forms_filled"]["proposal"]["filled_by"] == "amy"


@pytest.mark.core_path
def test_manager_return_sends_proposal_back_to_rep_with_the_reason(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Metro")
    complete_open(kam_eng, iid, "manager_review", "return", return_to="proposal")
    assert open_ids(kam_eng, iid) == ["proposal"]
    task = kam_eng.task(kam_eng.tasks("amy")[0].id, "amy")
    assert task.values["proposal"]["summary"].startswith("Cloud ticketing")     # earlier answer kept
    returned = [e for e in kam_eng.instance(iid).history if e.bpmn_id == "manager_review"][-1]
    assert returned.data["manager_review"]["reason_code"] == "incomplete_information"


@pytest.mark.core_path
def test_manager_return_to_information_reopens_every_information_form(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Metro")
    complete_open(kam_eng, iid, "manager_review", "return", return_to="information")
    assert open_ids(kam_eng, iid) == sorted(INFORMATION)
    for bpmn_id in INFORMATION + ("proposal",):
        complete_open(kam_eng, iid, bpmn_id)
    assert open_ids(kam_eng, iid) == ["manager_review"]


def test_a_manager_return_without_a_reason_is_refused(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Metro")
    task = kam_eng.tasks("bob")[0]
    with pytest.raises(Exception) as caught:
        kam_eng.complete(task.id, "bob", {"manager_review": {"decision": "return"}})
    paths = {e.path for e in caught.value.errors}
    assert {"$.manager_review.return_to", "$.manager_review.reason_code", "$.manager_review.comment"} <= paths
    assert open_ids(kam_eng, iid) == ["manager_review"]


@pytest.mark.core_path
def test_committee_majority_return_goes_back_to_the_rep(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    votes = {t.assignee: t for t in kam_eng.instance(iid).tasks}
    kam_eng.complete(votes["cat"].id, "cat", answer("committee_vote", decision="return"))
    kam_eng.complete(votes["cid"].id, "cid", answer("committee_vote", decision="return"))
    kam_eng.complete(votes["col"].id, "col", answer("committee_vote"))
    assert open_ids(kam_eng, iid) == ["proposal"]
    result = kam_eng.instance(iid).data["committee_result"]
    assert (result["outcome"], result["approvals"], len(result["reasons"])) == ("return", 1, 2)


@pytest.mark.core_path
def test_committee_majority_decline_ends_the_project_declined(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    for vote in kam_eng.instance(iid).tasks:
        kam_eng.complete(vote.id, vote.assignee, answer("committee_vote", decision="decline"))
    view = kam_eng.instance(iid)
    assert (view.status, view.outcome, view.tasks) == ("completed", "declined", [])


def tied_vote(kam_eng):
    """A small deal (simple majority) whose four votes split two to two: the chair decides."""
    kam_eng.add_user("cyd", groups=["committee"], department="hq")
    iid = kam_eng.start(P, "amy", {"project_name": "Small deal"})
    for bpmn_id in INFORMATION:
        task = next(t for t in kam_eng.instance(iid).tasks if t.bpmn_id == bpmn_id)
        data = answer(bpmn_id)
        if bpmn_id == "project_info":
            data["project"]["budget_amount"] = 500_000          # small: simple majority
        kam_eng.complete(task.id, "amy", data)
    complete_open(kam_eng, iid, "proposal")
    complete_open(kam_eng, iid, "manager_review")
    assert kam_eng.instance(iid).data["voting_rule"] == "majority"
    votes = {t.assignee: t for t in kam_eng.instance(iid).tasks}
    for member, decision in (("cat", "approve"), ("cid", "return"), ("col", "approve"), ("cyd", "return")):
        kam_eng.complete(votes[member].id, member, answer("committee_vote", decision=decision))
    return iid


@pytest.mark.core_path
def test_a_tied_committee_goes_to_the_chair_who_breaks_it(kam_eng):
    iid = tied_vote(kam_eng)
    tiebreak = kam_eng.tasks("col")
    assert [t.bpmn_id for t in tiebreak] == ["chair_tiebreak"]
    kam_eng.complete(tiebreak[0].id, "col", answer("chair_tiebreak", decision="approve"))
    assert open_ids(kam_eng, iid) == ["authorisation"]


def test_the_chair_may_return_a_tied_project_to_information_gathering(kam_eng):
    iid = tied_vote(kam_eng)
    (tiebreak,) = kam_eng.tasks("col")
    with pytest.raises(ValidationFailed) as refused:
        kam_eng.complete(tiebreak.id, "col", {"tiebreak": {"decision": "return", "comment": "補資料"}})
    assert [e.path for e in refused.value.errors] == ["$.tiebreak.return_to"]
    kam_eng.complete(tiebreak.id, "col", answer("chair_tiebreak", decision="return", return_to="information"))
    assert open_ids(kam_eng, iid) == sorted(INFORMATION)


def test_a_global_account_needs_a_unanimous_committee(kam_eng):
    iid = kam_eng.start(P, "amy", {"project_name": "Global"})
    for bpmn_id in INFORMATION:
        if bpmn_id == "customer_info":
            data = answer("customer_info")
            data["customer"]["account_type"] = "global"
            kam_eng.complete(next(t.id for t in kam_eng.instance(iid).tasks if t.bpmn_id == bpmn_id), "amy", data)
        else:
            complete_open(kam_eng, iid, bpmn_id)
    complete_open(kam_eng, iid, "proposal")
    complete_open(kam_eng, iid, "manager_review")
    votes = {t.assignee: t for t in kam_eng.instance(iid).tasks}
    kam_eng.complete(votes["cat"].id, "cat", answer("committee_vote"))
    kam_eng.complete(votes["cid"].id, "cid", answer("committee_vote"))
    kam_eng.complete(votes["col"].id, "col", answer("committee_vote", decision="return"))
    assert kam_eng.instance(iid).data["voting_rule"] == "unanimous"
    assert open_ids(kam_eng, iid) == ["proposal"]


def test_the_owner_never_reviews_their_own_project(kam_eng):
    iid = to_committee(kam_eng, "cat", "Cat's own")          # cat is on the committee
    assert sorted(t.assignee for t in kam_eng.instance(iid).tasks) == ["cid", "col"]
    iid2 = to_manager_review(kam_eng, "bob", "Bob's own")      # bob manages his own department
    review = kam_eng.instance(iid2).tasks[0]
    assert review.assignee != "bob"
    with pytest.raises(NotAllowed):
        kam_eng.complete(review.id, "bob", answer("manager_review"))


def test_the_rep_can_withdraw_at_the_committee_step(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    kam_eng.withdraw(iid, "amy", "budget frozen")
    view = kam_eng.instance(iid)
    assert (view.status, view.outcome, view.tasks) == ("completed", "withdrawn", [])
    assert kam_eng.tasks("cat") == []


def notified(eng, kind):
    with eng.ctx.uow(read_only=True) as uow:
        return sorted(uow.session.scalars(select(Notification.username).where(Notification.kind == kind)))


@pytest.mark.core_path
def test_manager_review_reminds_after_3_days_and_escalates_to_reports_to_after_7(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Slow")
    now = datetime.now(timezone.utc)
    assert kam_eng.fire_timers(now + timedelta(days=3, minutes=1)) == 1
    assert notified(kam_eng, "reminder") == ["bob"]
    assert kam_eng.fire_timers(now + timedelta(days=7, minutes=1)) == 1
    assert notified(kam_eng, "escalation") == ["dan"]
    assert open_ids(kam_eng, iid) == ["manager_review"]
    complete_open(kam_eng, iid, "manager_review")
    assert "committee_vote" in open_ids(kam_eng, iid)


@pytest.mark.core_path
def test_committee_reminds_members_who_have_not_voted_and_escalates_to_the_chair(kam_eng):
    iid = to_committee(kam_eng, "amy", "Slow committee")
    votes = {t.assignee: t for t in kam_eng.instance(iid).tasks}
    kam_eng.complete(votes["cat"].id, "cat", answer("committee_vote"))
    now = datetime.now(timezone.utc)
    assert kam_eng.fire_timers(now + timedelta(days=8)) == 2
    assert notified(kam_eng, "reminder") == ["cid", "col"]
    assert notified(kam_eng, "escalation") == ["col"]


def test_timer_durations_come_from_process_data(kam_eng):
    iid = kam_eng.start(P, "amy", {"project_name": "Fast", "reminder_after": "PT1H", "escalation_after": "PT2H"})
    for bpmn_id in INFORMATION + ("proposal",):
        complete_open(kam_eng, iid, bpmn_id)
    due = kam_eng.instance(iid).tasks[0].due
    assert timedelta(minutes=59) < due - datetime.now(timezone.utc) <= timedelta(hours=1)
    assert kam_eng.fire_timers(datetime.now(timezone.utc) + timedelta(hours=2, minutes=1)) == 2


def stored_size(eng, iid):
    with eng.ctx.uow(read_only=True) as uow:
        return len(uow.session.get(Instance, iid).workflow)


def test_returns_without_end_do_not_grow_the_stored_state(kam_eng):
    """The stored state after 200 return rounds is no larger than after 20: nothing a round
    leaves behind accumulates (a leak of even 1% per round would show over 180 rounds)."""
    iid = to_manager_review(kam_eng, "amy", "Patience")
    round0 = stored_size(kam_eng, iid)
    sizes = {}
    for n in range(1, 201):
        (review,) = kam_eng.tasks("bob")
        kam_eng.complete(review.id, "bob", answer("manager_review", decision="return"))
        kam_eng.complete(kam_eng.tasks("amy")[0].id, "amy", answer("proposal"))
        if n in (20, 200):
            sizes[n] = stored_size(kam_eng, iid)
    assert sizes[200] <= sizes[20] * 1.01 and sizes[200] <= 1.5 * round0
    complete_open(kam_eng, iid, "manager_review")
    complete_open(kam_eng, iid, "committee_vote")
    complete_open(kam_eng, iid, "authorisation")
    view = kam_eng.instance(iid)
    assert view.outcome == "established"
    assert sum(1 for e in view.history if e.bpmn_id == "manager_review") == 201


def test_a_returned_proposal_notifies_the_rep_as_a_return(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Back to you")
    complete_open(kam_eng, iid, "manager_review", "return")
    assert notified(kam_eng, "returned") == ["amy"]
    assert kam_eng.notifications.for_user("amy", locale="en")[0].subject.startswith("Returned to you: Project proposal")


def test_a_committee_return_to_information_reopens_every_information_form_and_tells_the_rep(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    votes = {t.assignee: t for t in kam_eng.instance(iid).tasks}
    kam_eng.complete(votes["cat"].id, "cat", answer("committee_vote", decision="return", return_to="information"))
    kam_eng.complete(votes["cid"].id, "cid", answer("committee_vote", decision="return"))
    kam_eng.complete(votes["col"].id, "col", answer("committee_vote"))
    assert open_ids(kam_eng, iid) == sorted(INFORMATION)
    assert kam_eng.instance(iid).data["committee_result"]["return_to"] == "information"
    assert set(notified(kam_eng, "returned")) == {"amy"}
    for bpmn_id in INFORMATION + ("proposal",):
        complete_open(kam_eng, iid, bpmn_id)
    assert open_ids(kam_eng, iid) == ["manager_review"]


def test_a_committee_return_without_saying_where_to_is_refused(kam_eng):
    iid = to_committee(kam_eng, "amy", "Metro")
    task = next(t for t in kam_eng.instance(iid).tasks if t.assignee == "cat")
    vote = answer("committee_vote", decision="return")
    del vote["vote"]["return_to"]
    with pytest.raises(Exception) as caught:
        kam_eng.complete(task.id, "cat", vote)
    assert {e.path for e in caught.value.errors} == {"$.vote.return_to"}
