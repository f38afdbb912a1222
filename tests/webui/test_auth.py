"""Signing in and out, the login guard, server-side sessions, CSRF and security headers."""
from __future__ import annotations

import pytest
from flask.sessions import SecureCookieSessionInterface

from webui import create_app

from .conftest import login, start_project

PROTECTED = ["/", "/tasks/some-task", "/projects/", "/projects/new", "/projects/some-id",
             "/projects/some-id/withdraw", "/projects/some-id/authorisation", "/files/some-file", "/settings/",
             "/admin/", "/admin/incidents", "/admin/instances/x", "/admin/deploy/", "/admin/outbox/", "/admin/outbox/1",
             "/admin/users/", "/admin/users/new", "/admin/users/x", "/admin/groups/", "/admin/groups/x",
             "/accounts/", "/accounts/new", "/accounts/a", "/accounts/a/edit", "/accounts/a/our-side",
             "/accounts/a/contacts/new", "/accounts/a/competitors/new", "/contacts/c", "/contacts/c/edit",
             "/competitors/x/edit", "/contacts/c/activities/new", "/accounts/a/activities/new", "/contacts/c/stage",
             "/contacts/c/target", "/accounts/a/gifts/new", "/admin/workspace/", "/requests/", "/requests/new/x",
             "/admin/catalog/", "/admin/catalog/x", "/contacts/c/profile", "/contacts/c/profile/edit",
             "/contacts/c/profile/erase", "/projects/x/dossier", "/admin/rates/", "/admin/instances/x/redact",
             "/accounts/a/handover", "/accounts/owned-by/x/handover", "/contacts/c/confirm-stage",
             "/reports/", "/reports/portfolio", "/reports/portfolio.csv", "/no-such-page"]


@pytest.mark.parametrize("url", PROTECTED)
def test_every_page_sends_a_signed_out_visitor_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login")


POSTS = ["/tasks/x", "/tasks/x/claim", "/tasks/x/unclaim", "/projects/new", "/projects/x/withdraw",
         "/settings/preferences", "/settings/password", "/settings/out-of-office", "/settings/out-of-office/clear",
         "/settings/tokens", "/settings/tokens/x/revoke",
         "/admin/instances/x/suspend", "/admin/instances/x/rewind", "/admin/instances/x/tasks/y/reassign",
         "/admin/incidents/1/retry", "/admin/deploy/", "/admin/users/x/active", "/admin/users/x/handover",
         "/admin/groups/", "/admin/groups/x", "/admin/groups/x/members", "/admin/groups/x/members/y/remove",
         "/admin/groups/x/delete", "/admin/outbox/1/send-again", "/accounts/new", "/accounts/a/edit",
         "/accounts/a/our-side", "/accounts/a/contacts/new", "/accounts/a/competitors/new", "/contacts/c/edit",
         "/contacts/c/remove", "/competitors/x/edit", "/competitors/x/remove", "/contacts/c/activities/new",
         "/accounts/a/activities/new", "/contacts/c/stage", "/contacts/c/target", "/accounts/a/gifts/new",
         "/admin/workspace/", "/requests/new/x", "/admin/catalog/x", "/contacts/c/profile/edit",
         "/contacts/c/profile/erase", "/admin/rates/", "/admin/instances/x/redact", "/accounts/a/handover",
         "/accounts/owned-by/x/handover", "/contacts/c/confirm-stage", "/logout"]


PUBLIC = ["/healthz", "/readyz"]      # the reverse proxy's checks (tests/webui/test_health.py)


UUID = "00000000-0000-4000-8000-000000000000"
API = [("GET", "/api/v1/tasks"), ("GET", f"/api/v1/tasks/{UUID}"), ("POST", f"/api/v1/tasks/{UUID}/complete"),
       ("POST", f"/api/v1/tasks/{UUID}/claim"), ("POST", f"/api/v1/tasks/{UUID}/unclaim"),
       ("GET", "/api/v1/processes"), ("GET", "/api/v1/processes/x"), ("POST", "/api/v1/processes/x/instances"),
       ("GET", f"/api/v1/instances/{UUID}")]


def test_the_lists_above_cover_every_route_of_the_app(app):
    urls = app.url_map.bind("localhost")
    covered = {urls.match(u, "GET")[0] for u in PROTECTED[:-1]} | {urls.match(u, "POST")[0] for u in POSTS} | \
        {urls.match(u, m)[0] for m, u in API} | {urls.match(u, "GET")[0] for u in PUBLIC}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert routes - covered == {"auth.login", "i18n.language", "static", "api.openapi", "api.reference"}


@pytest.mark.parametrize("method, url", API)
def test_every_api_route_answers_a_caller_without_a_token_with_401(client, method, url):
    response = client.open(url, method=method, json={})
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("url", POSTS)
def test_every_form_post_sends_a_signed_out_visitor_to_the_login_page(client, url):
    response = client.post(url, data={})
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("url", PUBLIC)
def test_the_health_checks_need_no_login(client, url):
    assert client.get(url).status_code == 200


def test_the_login_page_and_static_files_need_no_login(client):
    assert client.get("/login").status_code == 200
    with client.get("/static/app.css") as response:
        assert response.status_code == 200


def test_a_wrong_password_is_refused_and_the_user_stays_signed_out(client):
    response = login(client, "amy", "not-her-password")
    assert response.status_code == 401
    assert "wrong username or password" in response.get_data(as_text=True).lower() or \
        "帳號或密碼錯誤" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_unknown_user_is_refused_like_a_wrong_password(client):
    assert login(client, "nobody").status_code == 401


def test_signing_in_goes_to_the_page_asked_for_but_never_off_site(client):
    response = client.post("/login", data={"username": "amy", "password": "kamflow-demo", "next": "/projects/"})
    assert response.location == "/projects/"
    client.post("/logout")
    response = client.post("/login", data={"username": "amy", "password": "kamflow-demo",
                                           "next": "https://evil.example/"})
    assert response.location == "/"


def ticket_of(app, client) -> dict:
    cookie = client.get_cookie("kamflow_session")
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie.value) if cookie else {}


def test_signing_out_ends_the_session_on_the_server(app, client, engine):
    login(client, "amy")
    cookie = client.get_cookie("kamflow_session").value
    token = ticket_of(app, client)["token"]
    client.post("/logout")
    assert engine.sessions.get(token) is None
    assert client.get("/").status_code == 302
    client.set_cookie("kamflow_session", cookie)     # an old cookie replayed is worth nothing
    assert client.get("/").status_code == 302


def test_the_cookie_holds_only_a_signed_token_and_is_httponly_and_lax(app, client, engine):
    response = login(client, "amy")
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    ticket = ticket_of(app, client)
    assert set(ticket) == {"token"}
    assert engine.sessions.get(ticket["token"])[0] == "amy"


def test_signing_in_opens_a_new_session_and_closes_the_one_before(app, client, engine):
    client.get("/login")
    client.post("/language", data={"lang": "en", "next": "/login"})
    before = client.get_cookie("kamflow_session").value
    login(client, "amy")
    assert client.get_cookie("kamflow_session").value != before
    assert "Inbox" in client.get("/").get_data(as_text=True)   # the language chosen before login is kept
    amys = ticket_of(app, client)["token"]
    login(client, "bob")                                        # signing in again, as someone else
    assert ticket_of(app, client)["token"] != amys and engine.sessions.get(amys) is None


def test_a_forged_or_stale_cookie_is_no_session(app, client):
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    client.set_cookie("kamflow_session", signer.dumps({"token": "guessed"}))
    assert client.get("/").status_code == 302
    client.set_cookie("kamflow_session", signer.dumps({"visitor": {"uid": "amy"}}))
    assert client.get("/").status_code == 302
    client.set_cookie("kamflow_session", "not-even-signed")
    assert client.get("/").status_code == 302


def test_the_session_lives_in_the_engine_and_survives_another_app_process(app, client, engine, tmp_path):
    login(client, "amy")
    cookie = client.get_cookie("kamflow_session").value
    other = create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "test-secret",
                        "INSTANCE_PATH": tmp_path / "other", "WTF_CSRF_ENABLED": False}).test_client()
    other.set_cookie("kamflow_session", cookie)
    assert other.get("/").status_code == 200


def test_a_post_without_a_csrf_token_is_rejected(engine, tmp_path):
    app = create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "s", "INSTANCE_PATH": tmp_path / "i",
                      "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    assert client.post("/login", data={"username": "amy", "password": "kamflow-demo"}).status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"username": "amy", "password": "kamflow-demo", "csrf_token": token})
    assert response.status_code == 302
    assert client.post("/projects/new", data={"project_name": "No token"}).status_code == 400
    assert engine.instances(owner="amy") == []


def test_every_form_on_a_page_carries_the_csrf_token(engine, tmp_path):
    app = create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "s", "INSTANCE_PATH": tmp_path / "i"})
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "amy", "password": "kamflow-demo", "csrf_token": token})
    page = client.get("/projects/new").get_data(as_text=True)     # signing in starts a new session: a new token
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/projects/new", data={"project_name": "P", "csrf_token": token}).status_code == 302
    iid = engine.instances(owner="amy")[0]["id"]
    for url in ("/", f"/projects/{iid}", f"/tasks/{engine.instance(iid).tasks[0].id}", f"/projects/{iid}/withdraw"):
        html = client.get(url).get_data(as_text=True)
        posts = html.count('method="post"')
        assert posts and html.count('name="csrf_token"') == posts, url


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_deactivated_users_session_ends_at_once(app, client, engine):
    login(client, "amy")
    start_project(client)
    token = ticket_of(app, client)["token"]
    engine.add_user("amy", groups=["rep"], department="north", reports_to="bob", active=False)
    assert engine.sessions.get(token) is None
    assert client.get("/").status_code == 302


def test_an_admin_deactivating_a_user_closes_their_sessions_for_good(app, client, engine):
    login(client, "amy")
    cookie = client.get_cookie("kamflow_session").value
    engine.admin.set_active("amy", False, "zoe")
    engine.admin.set_active("amy", True, "zoe")
    client.set_cookie("kamflow_session", cookie)
    assert client.get("/").status_code == 302           # reactivating does not revive the old session
