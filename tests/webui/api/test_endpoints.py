"""Each endpoint of /api/v1 on both databases: tasks (list, read with form, complete, claim,
unclaim), processes (list, read with start form, start any of them) and instances (with history),
each with the web UI's rights."""
from __future__ import annotations

from engine import demo

from .conftest import problem_of


def test_my_tasks_are_listed_in_pages_and_filtered_by_step_and_name(engine, as_user):
    metro = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    engine.start(demo.PROCESS, "amy", {"project_name": "Harbour"})
    amy = as_user("amy")
    first = amy.get("/tasks?limit=4").get_json()
    assert len(first["items"]) == 4 and first["next_offset"] == 4
    rest = amy.get("/tasks?limit=100&offset=4").get_json()
    assert len(rest["items"]) == 6 and rest["next_offset"] is None
    ids = {t["id"] for t in first["items"] + rest["items"]}
    assert ids == {t.id for t in engine.tasks("amy")}
    step = amy.get("/tasks?step=customer_info").get_json()["items"]
    assert {t["bpmn_id"] for t in step} == {"customer_info"} and len(step) == 2
    named = amy.get("/tasks?q=Metro").get_json()["items"]
    assert {t["instance_id"] for t in named} == {metro} and named[0]["href"] == f"/api/v1/tasks/{named[0]['id']}"
    assert as_user("ray").get("/tasks").get_json()["items"] == []


def test_my_tasks_page_by_cursor_forwards_and_back(engine, as_user):
    for name in ("Metro", "Harbour", "Airport"):
        engine.start(demo.PROCESS, "amy", {"project_name": name})
    amy = as_user("amy")
    first = amy.get("/tasks?limit=6").get_json()
    assert first["previous_cursor"] is None and first["next_cursor"]
    second = amy.get(f"/tasks?limit=6&cursor={first['next_cursor']}").get_json()
    third = amy.get(f"/tasks?limit=6&cursor={second['next_cursor']}").get_json()
    assert len(third["items"]) == 3 and third["next_cursor"] is None and third["next_offset"] is None
    listed = [t["id"] for page in (first, second, third) for t in page["items"]]
    assert listed == [t.id for t in engine.tasks("amy")]                    # every task once, in inbox order
    back = amy.get(f"/tasks?limit=6&cursor={second['previous_cursor']}").get_json()
    assert back["items"] == first["items"] and back["previous_cursor"] is None


def test_a_task_comes_with_its_json_schema_ui_schema_and_current_values(engine, as_user):
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    task = next(t for t in engine.instance(iid).tasks if t.bpmn_id == "customer_info")
    body = as_user("amy").get(f"/tasks/{task.id}").get_json()
    assert body["name"] == "Customer information" and body["state"] == "open" and body["kind"] == "user"
    assert body["form"]["schema"]["type"] == "object" and "customer" in body["form"]["schema"]["properties"]
    assert isinstance(body["form"]["ui_schema"], dict)
    assert body["form"]["values"]["project_name"] == "Metro"


def test_completing_a_task_moves_the_instance_on_and_lists_my_next_tasks_there(engine, as_user):
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    amy = as_user("amy")
    for bpmn_id in demo.INFORMATION:
        task = next(t for t in engine.instance(iid).tasks if t.bpmn_id == bpmn_id)
        response = amy.post(f"/tasks/{task.id}/complete", json={"data": demo.answer(bpmn_id)})
        assert response.status_code == 200, response.get_data(as_text=True)
    assert [t["bpmn_id"] for t in response.get_json()["next_tasks"]] == ["proposal"]
    assert [e.kind for e in engine.instance(iid).history].count("completed") == len(demo.INFORMATION)


def test_a_manual_task_is_done_with_no_data_and_refuses_data(engine, as_user):
    amy = as_user("amy")
    started = amy.post("/processes/manual_steps/instances")
    assert started.status_code == 201
    iid = started.get_json()["id"]
    manual = engine.instance(iid).tasks[0]
    body = problem_of(amy.post(f"/tasks/{manual.id}/complete", json={"data": {"note": "x"}}), 422)
    assert body["errors"] == [{"pointer": "/data/note", "field": "$.note", "detail": "is not a field of this task"}]
    assert amy.post(f"/tasks/{manual.id}/complete").status_code == 200
    assert engine.instance(iid).tasks[0].bpmn_id == "file_report"


def test_a_rejected_completion_names_every_field_by_json_pointer_and_changes_nothing(engine, as_user):
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    task = next(t for t in engine.instance(iid).tasks if t.bpmn_id == "customer_info")
    before = engine.instance(iid)
    sent = demo.answer("customer_info")
    sent["customer"]["criteria"]["sales_volume"] = 9
    del sent["customer"]["name"]
    body = problem_of(as_user("amy").post(f"/tasks/{task.id}/complete", json={"data": sent}), 422)
    pointers = {e["pointer"]: e for e in body["errors"]}
    assert set(pointers) == {"/data/customer/name", "/data/customer/criteria/sales_volume"}
    assert pointers["/data/customer/name"]["field"] == "$.customer.name"
    after = engine.instance(iid)
    assert (after.history, [t.id for t in after.tasks]) == (before.history, [t.id for t in before.tasks])


def test_a_group_task_is_claimed_and_handed_back_and_a_closed_one_is_a_conflict(engine, as_user):
    engine.add_user("max", groups=["manager"], department="north", display_name="Max")
    iid = demo.to_manager_review(engine, "amy", "Two managers")
    task = engine.instance(iid).tasks[0]
    bob, max_ = as_user("bob"), as_user("max")
    claimed = bob.post(f"/tasks/{task.id}/claim")
    assert claimed.status_code == 200 and claimed.get_json()["assignee"] == "bob"
    problem_of(max_.post(f"/tasks/{task.id}/claim"), 403)                   # bob's now
    problem_of(max_.post(f"/tasks/{task.id}/unclaim"), 403)
    handed_back = bob.post(f"/tasks/{task.id}/unclaim")
    assert handed_back.status_code == 200 and handed_back.get_json()["assignee"] is None
    assert max_.post(f"/tasks/{task.id}/claim").get_json()["assignee"] == "max"
    demo.complete_open(engine, iid, "manager_review")
    assert "already completed" in problem_of(max_.post(f"/tasks/{task.id}/claim"), 409)["detail"]


def test_a_task_of_someone_else_is_forbidden_and_an_unknown_one_not_found(engine, as_user):
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Mine"})
    task = engine.instance(iid).tasks[0]
    ray = as_user("ray")
    problem_of(ray.get(f"/tasks/{task.id}"), 403)
    problem_of(ray.post(f"/tasks/{task.id}/complete", json={"data": {}}), 403)
    problem_of(ray.get("/tasks/00000000-0000-4000-8000-000000000000"), 404)
    problem_of(ray.get("/tasks/not-a-uuid"), 404)


def test_processes_are_listed_with_whether_i_may_start_them_and_read_with_their_start_form(as_user):
    amy = as_user("amy")
    listed = {p["id"]: p for p in amy.get("/processes").get_json()["items"]}
    assert {k: p["startable"] for k, p in listed.items()} == \
        {demo.PROCESS: True, "manual_steps": True, "gift_approval": False}      # the gifts register starts it
    kam = amy.get(f"/processes/{demo.PROCESS}").get_json()
    assert kam["version"] == 1 and "project_name" in kam["start_form"]["schema"]["properties"]
    assert amy.get("/processes/manual_steps").get_json()["start_form"] == {"schema": None, "ui_schema": None}
    problem_of(amy.get("/processes/no_such_process"), 404)


def test_starting_an_instance_checks_the_start_form_and_answers_where_it_is(engine, as_user):
    amy = as_user("amy")
    body = problem_of(amy.post(f"/processes/{demo.PROCESS}/instances", json={"data": {}}), 422)
    assert body["errors"][0]["pointer"] == "/data/project_name"
    started = amy.post(f"/processes/{demo.PROCESS}/instances", json={"data": {"project_name": "Metro"}})
    assert started.status_code == 201
    iid = started.get_json()["id"]
    assert started.headers["Location"] == f"/api/v1/instances/{iid}" == started.get_json()["href"]
    assert (engine.instance(iid).owner, engine.instance(iid).project_name) == ("amy", "Metro")
    problem_of(amy.post("/processes/no_such_process/instances", json={"data": {}}), 404)


def test_an_instance_with_its_history_is_seen_by_its_team_and_managers_only(engine, as_user):
    iid = demo.to_manager_review(engine, "amy", "Metro")
    body = as_user("amy").get(f"/instances/{iid}").get_json()
    assert (body["name"], body["status"], body["owner"], body["process_id"]) == ("Metro", "running", "amy",
                                                                                 demo.PROCESS)
    assert [t["bpmn_id"] for t in body["open_tasks"]] == ["manager_review"]
    kinds = [e["kind"] for e in body["history"]]
    assert kinds[0] == "started" and kinds.count("completed") == len(demo.INFORMATION) + 1
    proposal = next(e for e in body["history"] if e["bpmn_id"] == "proposal")
    assert proposal["actor"] == "amy" and proposal["data"]
    assert as_user("bob").get(f"/instances/{iid}").status_code == 200       # the reviewing manager
    assert as_user("zoe").get(f"/instances/{iid}").status_code == 200       # an admin
    problem_of(as_user("ray").get(f"/instances/{iid}"), 403)                # another rep
    problem_of(as_user("ray").get("/instances/00000000-0000-4000-8000-000000000000"), 404)
