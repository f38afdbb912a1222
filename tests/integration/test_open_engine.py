"""Models written the way spiff-arena writes them run here: any process starts with `{}`, manual
and plain tasks are completed, lanes reach the initiator, groups and named lane owners, and a
non-executable pool is ignored. Each on a small model of its own, on both databases."""
from __future__ import annotations

import threading

import pytest

from engine import DeployError, Engine, NotAllowed, NotFound, ValidationFailed
from engine.naming import NAME_LENGTH

from ..conftest import DATA

KAM = "key_account_development"


@pytest.mark.across_processes
def test_any_process_starts_with_nothing_and_is_called_by_its_name_and_number(eng):
    eng.deploy(DATA / "manual_steps")
    first, second = eng.start("manual_steps", "amy", {}), eng.start("manual_steps", "ann")
    assert [(eng.instance(i).project_name, eng.instance(i).owner) for i in (first, second)] == \
        [("Stock check #1", "amy"), ("Stock check #2", "ann")]
    assert sorted(r["number"] for r in eng.instances()) == [1, 2]


@pytest.mark.across_processes
def test_the_key_account_process_asks_for_the_project_name_through_its_start_form(kam_eng):
    form = kam_eng.start_form(KAM)
    assert form.schema["properties"]["project_name"]["maxLength"] == NAME_LENGTH
    for data in ({}, {"project_name": "   "}, {"project_name": "x" * (NAME_LENGTH + 1)}):
        with pytest.raises(ValidationFailed) as caught:
            kam_eng.start(KAM, "amy", data)
        assert [e.path for e in caught.value.errors] == ["$.project_name"], data
    assert kam_eng.instances() == []
    iid = kam_eng.start(KAM, "amy", {"project_name": " " + "長" * NAME_LENGTH + " "})
    assert kam_eng.instance(iid).project_name == "長" * NAME_LENGTH


def test_instance_numbers_stay_unique_when_two_processes_start_instances_at_once(eng, db_url):
    eng.deploy(DATA / "manual_steps")
    other = Engine(db_url)
    failures = []

    def start_some(engine, user):
        try:
            for _ in range(5):
                engine.start("manual_steps", user)
        except Exception as exc:          # a failed start is the finding; report it below
            failures.append(exc)
    threads = [threading.Thread(target=start_some, args=(e, u)) for e, u in ((eng, "amy"), (other, "ann"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert failures == []
    assert sorted(r["number"] for r in eng.instances()) == list(range(1, 11))


@pytest.mark.across_processes
def test_manual_and_plain_tasks_are_in_the_inbox_take_no_data_and_complete_round_after_round(eng):
    eng.deploy(DATA / "manual_steps")
    iid = eng.start("manual_steps", "amy")
    (count,) = eng.tasks("amy")
    assert (count.bpmn_id, count.kind, count.assignee) == ("count_shelves", "manual", "amy")
    assert "## Count the {{ warehouse }} shelves" in eng.task(count.id, "amy").instructions
    with pytest.raises(ValidationFailed) as caught:
        eng.complete(count.id, "amy", {"note": "all full"})
    assert [e.path for e in caught.value.errors] == ["$.note"]
    for round_ in (1, 2):
        (report,) = eng.complete(eng.tasks("amy")[0].id, "amy", {})
        assert (report.bpmn_id, report.kind) == ("file_report", "task")
        eng.complete(report.id, "amy", {})
    view = eng.instance(iid)
    assert (view.status, view.data["rounds"]) == ("completed", 2)
    assert [e.bpmn_id for e in view.history if e.kind == "completed"] == ["count_shelves", "file_report"] * 2


@pytest.mark.across_processes
def test_lanes_reach_the_initiator_a_group_named_by_id_the_named_lane_owners_and_a_group_named_by_lane(eng):
    eng.deploy(DATA / "lanes_to_groups")
    eng.groups.create("compliance", "zed", "Checks gifts and hospitality")
    for member in ("cid", "amy"):
        eng.groups.add_member("compliance", member, "zed")
    iid = eng.start("gift_check", "amy")
    (describe,) = eng.tasks("amy")
    eng.complete(describe.id, "amy", {"gift": {"recipient": "Director Lin", "value": 3000}})
    assert eng.instance(iid).project_name == "Director Lin"

    (review,) = eng.tasks("cid")
    assert (review.bpmn_id, review.group, review.assignee) == ("compliance_review", "group:compliance", None)
    assert eng.tasks("amy") == []                            # a member, but it is her own request
    with pytest.raises(NotAllowed):
        eng.complete(review.id, "amy", {"verdict": "approve"})
    eng.complete(review.id, "cid", {"verdict": "approve"})

    (second,) = eng.tasks("cat")
    assert [t.id for t in eng.tasks("col")] == [second.id] and second.kind == "manual"
    assert eng.tasks("amy") == [] and eng.tasks("cid") == []
    eng.claim(second.id, "col")
    assert eng.tasks("cat") == []
    eng.complete(second.id, "col", {})

    (archive,) = [t for t in eng.instance(iid).tasks]
    assert (archive.bpmn_id, archive.group) == ("archive", "group:Records Office")
    eng.groups.create("Records Office", "zed")
    eng.groups.add_member("Records Office", "bob", "zed")
    assert [t.id for t in eng.tasks("bob")] == [archive.id]
    eng.complete(archive.id, "bob", {})
    assert eng.instance(iid).status == "completed"


def test_a_non_executable_pool_with_flaws_is_neither_checked_nor_run(eng):
    assert [r["process_id"] for r in eng.deploy(DATA / "two_pools")] == ["main_proc"]
    iid = eng.start("main_proc", "amy")
    eng.complete(eng.tasks("amy")[0].id, "amy", {})
    assert eng.instance(iid).status == "completed"
    with pytest.raises(NotFound):
        eng.start("customer_proc", "amy")
    text = (DATA / "two_pools" / "two_pools.bpmn").read_text(encoding="utf-8")
    with pytest.raises(DeployError) as caught:                 # the same flaw in a pool that runs is refused
        eng.deploy_files({"two_pools.bpmn": text.replace('isExecutable="false"', 'isExecutable="true"')})
    assert caught.value.element == "cf1" and "nowhere" in str(caught.value)
