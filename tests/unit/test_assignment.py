"""Lanes map to people: the initiator, named lane owners, the owner's manager, or a group;
nobody reviews their own project."""
from engine.assignment import Lane, Offer, may_act, offer_for
from engine.directory import Person


def person(name, groups=(), dept="north", active=True):
    return Person(name, name, frozenset(groups), dept, None, None, active, "Asia/Taipei", "en", True)


AMY = person("amy", ["rep"])


def test_the_rep_lane_no_lane_and_a_process_initiator_lane_go_to_whoever_started_the_instance():
    for lane in (Lane("rep", "Rep"), Lane(None), Lane("Lane_1x", "Process Initiator"), Lane("initiator"),
                 Lane("Lane_2", "process_initiator")):
        assert offer_for(lane, AMY, None, ["bob"]) == Offer("amy", None, None), lane


def test_the_manager_lane_goes_to_the_departments_only_manager():
    assert offer_for(Lane("department_manager"), AMY, None, ["bob"]) == Offer("bob", None, "amy")


def test_a_department_with_several_managers_gets_a_group_task():
    assert offer_for(Lane("department_manager"), AMY, None, ["bob", "bea"]) == Offer(None, "manager:north", "amy")


def test_a_manager_who_owns_the_project_is_not_asked_to_review_it():
    bob = person("bob", ["manager"])
    assert offer_for(Lane("department_manager"), bob, None, ["bob"]) == Offer(None, "manager:north", "bob")


def test_a_lane_goes_to_the_group_named_like_it_or_to_the_named_member():
    assert offer_for(Lane("committee", "Key-account committee", "committee"), AMY, None, []) == \
        Offer(None, "group:committee", "amy")
    assert offer_for(Lane("Lane_9", "Compliance", "compliance"), AMY, None, []) == Offer(None, "group:compliance", "amy")
    assert offer_for(Lane("committee", None, "committee"), AMY, "cat", []) == Offer("cat", None, "amy")


def test_a_lane_without_a_group_waits_for_a_group_of_its_name():
    assert offer_for(Lane("Lane_9", "Legal"), AMY, None, []) == Offer(None, "group:Legal", "amy")


def test_lane_owners_name_the_people_and_never_the_owner():
    assert offer_for(Lane("L", "Reviewers", "reviewers", ("cat", "amy", "ken")), AMY, None, []) == \
        Offer(None, None, "amy", ("cat", "ken"))
    assert offer_for(Lane("L", "Reviewers", None, ("amy", "ken")), AMY, None, []) == Offer("ken", None, "amy")
    assert offer_for(Lane("L", "Reviewers", "reviewers", ("amy",)), AMY, None, []) == \
        Offer(None, "group:reviewers", "amy")


def test_may_act_respects_assignee_group_candidates_exclusion_and_activity_and_gives_admins_nothing_more():
    cat, admin = person("cat", ["committee"]), person("zed", ["admin"])
    assert may_act(cat, None, "group:committee", "amy")
    assert not may_act(cat, "cid", "group:committee", "amy")
    assert may_act(cat, None, None, "amy", frozenset({"cat", "ken"}))
    assert not may_act(person("bob"), None, None, "amy", frozenset({"cat", "ken"}))
    assert not may_act(admin, "cid", None, "amy") and not may_act(admin, None, "group:committee", "amy")
    assert not may_act(person("amy", ["admin"]), "cid", None, "amy")
    assert not may_act(person("cat", ["committee"], active=False), None, "group:committee", None)


def test_a_manager_may_claim_the_tasks_offered_to_their_department():
    assert person("bob", ["manager"]).candidate_groups == {"group:manager", "manager:north"}
