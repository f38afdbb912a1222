"""The rule every running instance keeps, checked on hand-built states."""
import pytest

from engine.errors import ProcessError
from engine.invariants import Wait, WaitKind, ensure_progress, violations

HUMAN, CATCH, BOUNDARY, ACTIVITY, JOIN = (WaitKind.HUMAN, WaitKind.CATCH, WaitKind.BOUNDARY, WaitKind.ACTIVITY,
                                          WaitKind.JOIN)


def test_an_open_human_task_keeps_a_running_instance_valid():
    assert violations(False, [Wait(HUMAN, "review"), Wait(BOUNDARY, "reminder", host="review")]) == []


def test_waiting_at_a_timer_or_message_keeps_a_running_instance_valid():
    assert violations(False, [Wait(CATCH, "wait_a_day")]) == []


def test_a_completed_workflow_needs_nothing_to_wait_for():
    assert violations(True, []) == []


def test_a_running_instance_with_nothing_to_do_is_a_violation_naming_where_it_stopped():
    (problem,) = violations(False, [Wait(JOIN, "both")])
    assert problem.element == "both" and "no open task" in problem.message


def test_a_boundary_timer_alone_does_not_keep_an_instance_alive():
    problems = violations(False, [Wait(ACTIVITY, "committee_vote", open=False),
                                  Wait(BOUNDARY, "committee_reminder", host="committee_vote", open=False)])
    assert [p.element for p in problems] == ["committee_vote", "committee_vote", "committee_reminder"]
    assert "no open task" in problems[0].message and "has no open work left" in problems[2].message


def test_a_reminder_left_behind_by_a_finished_vote_is_a_violation_even_when_other_work_is_open():
    problems = violations(False, [Wait(HUMAN, "proposal"),
                                  Wait(BOUNDARY, "committee_reminder", host="committee_vote", open=False)])
    assert [p.element for p in problems] == ["committee_reminder"]


def test_an_activity_in_progress_with_nothing_inside_that_can_move_is_a_violation():
    problems = violations(False, [Wait(HUMAN, "other_branch"), Wait(ACTIVITY, "committee_vote", open=False)])
    assert [p.element for p in problems] == ["committee_vote"]


def test_an_event_nothing_will_deliver_does_not_count_as_waiting():
    problems = violations(False, [Wait(CATCH, "wait_a_day", wakeable=False)])
    assert [p.element for p in problems] == ["", "wait_a_day"]


def test_ensure_progress_raises_a_process_error_naming_the_element():
    ensure_progress(False, [Wait(HUMAN, "draft")])
    with pytest.raises(ProcessError) as caught:
        ensure_progress(False, [Wait(ACTIVITY, "committee_vote", open=False)])
    assert caught.value.element == "committee_vote" and "nothing inside it can move on" in str(caught.value)
