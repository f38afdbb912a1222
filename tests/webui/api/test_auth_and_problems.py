"""Only a live personal access token opens the API, never a browser's sign-in; every refusal is
an RFC 9457 problem with the right status, naming what failed."""
from __future__ import annotations

from datetime import timedelta

from engine import Engine, demo

from .conftest import make_app, problem_of


def test_no_token_or_a_wrong_one_is_a_401_with_a_bearer_challenge(client):
    missing = client.get("/api/v1/tasks")
    assert "Authorization: Bearer" in problem_of(missing, 401)["detail"]
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="kamflow"'
    wrong = client.get("/api/v1/tasks", headers={"Authorization": "Bearer kft_not-a-token"})
    assert problem_of(wrong, 401)["detail"] == "This token is unknown, expired or revoked."
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    problem_of(client.get("/api/v1/tasks", headers={"Authorization": "Basic YW15OmthbWZsb3ctZGVtbw=="}), 401)


def test_a_signed_in_browser_session_does_not_open_the_api(engine, tmp_path):
    engine.add_user("amy", groups=["rep"], department="north", reports_to="bob", password=demo.PASSWORD)
    app = make_app(engine, tmp_path)
    app.config["WTF_CSRF_ENABLED"] = False            # to sign in without reading the form's token
    browser = app.test_client()
    assert browser.post("/login", data={"username": "amy", "password": demo.PASSWORD}).status_code == 302
    assert browser.get("/").status_code == 200
    refused = browser.get("/api/v1/tasks")
    assert "does not accept a browser's sign-in" in problem_of(refused, 401)["detail"]
    assert "Set-Cookie" not in refused.headers
    problem_of(browser.post(f"/api/v1/processes/{demo.PROCESS}/instances", json={"data": {"project_name": "X"}}), 401)
    assert engine.instances() == []


def test_a_token_needs_no_csrf_token_with_csrf_protection_on(engine, as_user):
    started = as_user("amy").post(f"/processes/{demo.PROCESS}/instances", json={"data": {"project_name": "X"}})
    assert started.status_code == 201 and "Set-Cookie" not in started.headers


def test_a_revoked_token_and_a_deactivated_owners_token_are_refused(engine, as_user):
    amy, ray = as_user("amy"), as_user("ray")
    assert amy.get("/tasks").status_code == 200
    engine.tokens.revoke(amy.token.id, "amy")
    problem_of(amy.get("/tasks"), 401)
    engine.admin.set_active("ray", False, "zoe")
    problem_of(ray.get("/tasks"), 401)


def test_an_expired_token_is_refused(engine, db_url, tmp_path, as_user):
    amy = as_user("amy")
    later = Engine(db_url, clock=lambda: amy.token.expires_at + timedelta(minutes=1))
    try:
        response = make_app(later, tmp_path).test_client().get(
            "/api/v1/tasks", headers={"Authorization": f"Bearer {amy.secret}"})
        problem_of(response, 401)
    finally:
        later.close()


def test_a_token_has_its_owners_rights_and_no_more(engine, as_user):
    iid = demo.to_manager_review(engine, "amy", "Metro")
    review = engine.instance(iid).tasks[0]
    amy = as_user("amy")
    problem_of(amy.post(f"/tasks/{review.id}/complete", json={"data": demo.answer("manager_review")}), 403)
    assert as_user("bob").post(f"/tasks/{review.id}/complete",
                               json={"data": demo.answer("manager_review")}).status_code == 200


BAD_BODIES = [
    (b'{"data": {', "application/json", 400, {"pointer": "", "detail": "is not valid JSON"}),
    (b'{"data": NaN}', "application/json", 400, {"pointer": "", "detail": "is not valid JSON"}),
    (b'project_name=x', "application/x-www-form-urlencoded", 415,
     {"parameter": "Content-Type", "detail": "must be application/json"}),
    (b'[1, 2]', "application/json", 422, {"pointer": "", "detail": "must be an object"}),
    (b'{"data": 3}', "application/json", 422, {"pointer": "/data", "detail": "must be an object"}),
    (b'{"data": {}, "extra/field": 1}', "application/json", 422,
     {"pointer": "/extra~1field", "detail": "is not a field of this request"}),
]


def test_a_body_that_cannot_be_used_is_refused_naming_where(engine, as_user):
    amy = as_user("amy")
    for body, content_type, status, where in BAD_BODIES:
        response = amy.client.post(f"/api/v1/processes/{demo.PROCESS}/instances", data=body,
                                   headers=amy.headers(**{"Content-Type": content_type}))
        assert problem_of(response, status)["errors"] == [where], body
    assert engine.instances() == []


def test_a_bad_query_parameter_is_a_400_naming_it(as_user):
    amy = as_user("amy")
    for query, name in [("limit=0", "limit"), ("limit=101", "limit"), ("offset=-1", "offset"), ("limit=ten", "limit"),
                        ("q=%00", "q"), ("step=" + "x" * 201, "step"), ("cursor=bm90IGEgY3Vyc29y", "cursor"),
                        ("cursor=" + "x" * 601, "cursor"), ("cursor=WyJuIixbbnVsbCwiMjAyNi0wMS0wMVQwMDowMDowMCswMDowMCIsImEiXV0"
                                                            "&offset=20", "offset")]:
        body = problem_of(amy.get(f"/tasks?{query}"), 400)
        assert [e["parameter"] for e in body["errors"]] == [name], query


def test_unknown_addresses_and_methods_are_problems_too(as_user):
    amy = as_user("amy")
    problem_of(amy.get("/no-such-thing"), 404)
    problem_of(amy.get(f"/processes/{'%01'}"), 404)
    wrong = amy.client.delete("/api/v1/tasks", headers=amy.headers())
    assert problem_of(wrong, 405) and "GET" in wrong.headers["Allow"]


def test_a_problem_is_never_cached_and_carries_the_safe_headers(client):
    response = client.get("/api/v1/tasks")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
