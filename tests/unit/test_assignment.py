"""Lanes map to people by lane id; nobody reviews their own project."""
from engine.assignment import Offer, may_act, offer_for
from engine.directory import Person


def person(name, roles=(), dept="north", active=True):
    return Person(name, name, frozenset(roles), dept, None, None, active, "Asia/Taipei", "en", True)


AMY = person("amy", ["rep"])


def test_the_rep_lane_goes_to_the_owner():
    assert offer_for("rep", AMY, "amy", None, ["bob"]) == Offer("amy", None, None)


def test_the_manager_lane_goes_to_the_departments_only_manager():
    assert offer_for("department_manager", AMY, "amy", None, ["bob"]) == Offer("bob", None, "amy")


def test_a_department_with_several_managers_gets_a_group_task():
    assert offer_for("department_manager", AMY, "amy", None, ["bob", "bea"]) == Offer(None, "manager:north", "amy")


def test_a_manager_who_owns_the_project_is_not_asked_to_review_it():
    bob = person("bob", ["manager"])
    assert offer_for("department_manager", bob, "bob", None, ["bob"]) == Offer(None, "manager:north", "bob")


def test_the_committee_lane_is_offered_to_the_committee_or_to_the_named_member():
    assert offer_for("committee", AMY, "amy", None, []) == Offer(None, "role:committee", "amy")
    assert offer_for("committee", AMY, "amy", "cat", []) == Offer("cat", None, "amy")


def test_any_other_lane_is_a_role_and_no_lane_is_the_starter():
    assert offer_for("chair", AMY, "amy", None, []) == Offer(None, "role:chair", "amy")
    assert offer_for(None, AMY, "zed", None, []) == Offer("zed", None, None)


def test_may_act_respects_assignee_group_exclusion_admin_and_activity():
    cat, admin = person("cat", ["committee"]), person("zed", ["admin"])
    assert may_act(cat, None, "role:committee", "amy")
    assert not may_act(cat, "cid", "role:committee", "amy")
    assert may_act(admin, "cid", None, "amy")
    assert not may_act(person("amy", ["admin"]), "cid", None, "amy")
    assert not may_act(person("cat", ["committee"], active=False), None, "role:committee", None)
