"""`Idempotency-Key`: a POST retried with the same key and body has one effect and the same
answer, even when the retry reaches another app process; another body with the key is a 422."""
from __future__ import annotations

from engine import Engine, demo

from .conftest import Caller, make_app, problem_of


def test_a_start_retried_on_another_app_process_starts_one_instance_and_answers_the_same(engine, db_url, tmp_path):
    other_engine = Engine(db_url, forms_dir=engine.forms_dir)
    try:
        first = Caller(make_app(engine, tmp_path / "one").test_client(), engine, "amy")
        second = Caller(make_app(other_engine, tmp_path / "two").test_client(), other_engine, "amy")
        second.secret = first.secret                                    # one client, two app processes
        body = {"data": {"project_name": "Metro"}}
        answered = first.post(f"/processes/{demo.PROCESS}/instances", json=body, key="start-metro-1")
        again = second.post(f"/processes/{demo.PROCESS}/instances", json=body, key="start-metro-1")
        assert (again.status_code, again.get_json(), again.headers["Location"]) == \
            (answered.status_code, answered.get_json(), answered.headers["Location"]) and answered.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in answered.headers
        assert len(engine.instances()) == 1
        fresh = second.post(f"/processes/{demo.PROCESS}/instances", json=body, key="start-metro-2")
        assert fresh.status_code == 201 and len(engine.instances()) == 2
    finally:
        other_engine.close()


def test_the_same_key_with_a_different_body_is_refused(engine, as_user):
    amy = as_user("amy")
    amy.post(f"/processes/{demo.PROCESS}/instances", json={"data": {"project_name": "Metro"}}, key="k")
    refused = amy.post(f"/processes/{demo.PROCESS}/instances", json={"data": {"project_name": "Harbour"}}, key="k")
    assert problem_of(refused, 422)["errors"] == [{"parameter": "Idempotency-Key",
                                                   "detail": "was used for a different request"}]
    elsewhere = amy.post("/processes/manual_steps/instances", json={"data": {"project_name": "Metro"}}, key="k")
    problem_of(elsewhere, 422)                                   # same body, another address
    assert [i["project_name"] for i in engine.instances()] == ["Metro"]


def test_a_body_spelled_differently_is_the_same_request(engine, as_user):
    amy = as_user("amy")
    sent = amy.client.post(f"/api/v1/processes/{demo.PROCESS}/instances", data='{"data":{"project_name":"Metro"}}',
                           headers=amy.headers(**{"Content-Type": "application/json", "Idempotency-Key": "k"}))
    again = amy.post(f"/processes/{demo.PROCESS}/instances", json={"data": {"project_name": "Metro"}}, key="k")
    assert again.get_json() == sent.get_json() and len(engine.instances()) == 1


def test_a_retried_completion_completes_once_and_a_refusal_is_answered_the_same(engine, as_user):
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    task = next(t for t in engine.instance(iid).tasks if t.bpmn_id == "customer_info")
    amy = as_user("amy")
    wrong = amy.post(f"/tasks/{task.id}/complete", json={"data": {"customer": {}}}, key="wrong-1")
    assert amy.post(f"/tasks/{task.id}/complete", json={"data": {"customer": {}}}, key="wrong-1").get_json() == \
        problem_of(wrong, 422)
    done = amy.post(f"/tasks/{task.id}/complete", json={"data": demo.answer("customer_info")}, key="right-1")
    again = amy.post(f"/tasks/{task.id}/complete", json={"data": demo.answer("customer_info")}, key="right-1")
    assert done.status_code == again.status_code == 200 and done.get_json() == again.get_json()
    assert [e.kind for e in engine.instance(iid).history].count("completed") == 1
    problem_of(amy.post(f"/tasks/{task.id}/complete", json={"data": demo.answer("customer_info")}), 409)


def test_keys_are_per_user_and_claims_take_them_too(engine, as_user):
    engine.add_user("max", groups=["manager"], department="north")
    iid = demo.to_manager_review(engine, "amy", "Two managers")
    task = engine.instance(iid).tasks[0]
    bob, max_ = as_user("bob"), as_user("max")
    assert bob.post(f"/tasks/{task.id}/claim", key="same").status_code == 200
    assert bob.post(f"/tasks/{task.id}/claim", key="same").headers["Idempotent-Replayed"] == "true"
    problem_of(max_.post(f"/tasks/{task.id}/claim", key="same"), 403)        # max's own key: a real attempt


def test_a_malformed_key_is_a_400_naming_the_header(as_user):
    amy = as_user("amy")
    for key in (" ", "x" * 256, "ключ"):
        response = amy.client.post(f"/api/v1/processes/{demo.PROCESS}/instances", json={"data": {}},
                                   headers=amy.headers(**{"Idempotency-Key": key.encode("utf-8").decode("latin-1")}))
        assert problem_of(response, 400)["errors"][0]["parameter"] == "Idempotency-Key"
