"""Administration: the admin-only guard, instances (status, rewind, reassign) and incidents
with retry. The outbox has its own file."""
from __future__ import annotations

import pytest

from engine import Engine, ProcessError, demo
from webui import create_app

from ..conftest import DATA, ROOT
from .conftest import login, page_of, text_of

ADMIN_URLS = [
    ("get", "/admin/"), ("get", "/admin/instances"), ("get", "/admin/instances/some-id"),
    ("get", "/admin/incidents"), ("get", "/admin/users/"), ("get", "/admin/users/new"),
    ("get", "/admin/users/amy"), ("get", "/admin/deploy/"), ("get", "/admin/outbox/"),
    ("post", "/admin/instances/some-id/suspend"), ("post", "/admin/instances/some-id/rewind"),
    ("post", "/admin/instances/some-id/tasks/some-task/reassign"), ("post", "/admin/incidents/1/retry"),
    ("post", "/admin/users/new"), ("post", "/admin/users/amy"), ("post", "/admin/users/amy/active"),
    ("post", "/admin/users/amy/handover"), ("post", "/admin/deploy/"), ("post", "/admin/outbox/1/send-again"),
]


@pytest.fixture(scope="module")
def manager_client(tmp_path_factory):
    """One app for the guard tests: nothing there changes anything."""
    tmp = tmp_path_factory.mktemp("guard")
    eng = Engine(f"sqlite:///{tmp / 'kamflow.db'}", forms_dir=ROOT / "forms")
    demo.create_users(eng)
    client = create_app({"TESTING": True, "ENGINE": eng, "SECRET_KEY": "test-secret",
                         "INSTANCE_PATH": tmp / "instance", "WTF_CSRF_ENABLED": False}).test_client()
    login(client, "bob")
    yield client
    eng.close()


@pytest.mark.parametrize(("method", "url"), ADMIN_URLS)
def test_a_non_admin_gets_403_on_every_admin_url(manager_client, method, url):
    assert getattr(manager_client, method)(url, data={"active": "no", "to_user": "bob"}).status_code == 403


def test_only_admins_reach_the_admin_pages(client):
    for user in ("amy", "bob", "col"):
        login(client, user)
        for url in ("/admin/", "/admin/incidents", "/admin/users/", "/admin/deploy/", "/admin/outbox/"):
            assert client.get(url).status_code == 403, (user, url)
        client.post("/logout")
    login(client, "zoe")
    assert page_of(client.get("/")).xpath("//nav[@class='main-nav']//a[@href='/admin/instances']")


def test_an_admin_filters_instances_by_status_and_searches_them(client, engine):
    running = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    stopped = engine.start(demo.PROCESS, "amy", {"project_name": "Port"})
    engine.withdraw(stopped, "amy")
    login(client, "zoe")
    assert {"Metro", "Port"} <= set(text_of(client.get("/admin/")).split())
    only_running = text_of(client.get("/admin/instances?status=running"))
    assert "Metro" in only_running and "Port" not in only_running
    assert "Metro" not in text_of(client.get("/admin/?q=port"))
    assert running


def test_an_admin_suspends_resumes_and_terminates_an_instance(client, engine):
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    login(client, "zoe")
    assert page_of(client.get("/admin/")).xpath(f"//form[@action='/admin/instances/{iid}/suspend']")
    client.post(f"/admin/instances/{iid}/suspend")
    assert engine.instance(iid).status == "suspended"
    assert client.post(f"/admin/instances/{iid}/resume", data={"back": "instance"}).location == \
        f"/admin/instances/{iid}"
    assert engine.instance(iid).status == "running"
    client.post(f"/admin/instances/{iid}/terminate")
    assert engine.instance(iid).status == "terminated"
    assert client.post(f"/admin/instances/{iid}/explode").status_code == 404


def test_an_admin_rewinds_a_project_to_a_completed_step(client, engine):
    iid = demo.to_committee(engine, "amy", "Rewind")
    login(client, "zoe")
    page = page_of(client.get(f"/admin/instances/{iid}"))
    steps = page.xpath("//select[@name='bpmn_id']/option/@value")
    assert {"customer_info", "proposal", "manager_review"} <= set(steps)
    assert "committee_vote" not in steps                     # open, not completed
    votes = [t for t in engine.instance(iid).tasks if t.bpmn_id == "committee_vote"]
    response = client.post(f"/admin/instances/{iid}/rewind", data={"bpmn_id": "proposal"})
    assert response.status_code == 302
    assert [t.bpmn_id for t in engine.instance(iid).tasks] == ["proposal"]
    login(client, votes[0].assignee)
    assert "它已因回溯而收回" in text_of(client.get(f"/tasks/{votes[0].id}"))    # a rewound vote says so


def test_rewinding_to_a_step_never_reached_shows_the_error_at_the_step_field(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Rewind")
    login(client, "zoe")
    response = client.post(f"/admin/instances/{iid}/rewind", data={"bpmn_id": "authorisation"})
    assert response.status_code == 422
    assert page_of(response).xpath("//*[@id='field-bpmn_id--error']")
    assert [t.bpmn_id for t in engine.instance(iid).tasks] == ["manager_review"]


def test_an_admin_reassigns_an_open_task_to_another_active_user(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Reassign")
    task = engine.instance(iid).tasks[0]
    assert task.assignee == "bob"
    login(client, "zoe")
    page = page_of(client.get(f"/admin/instances/{iid}"))
    choices = page.xpath(f"//form[@action='/admin/instances/{iid}/tasks/{task.id}/reassign']//option/@value")
    assert "dan" in choices and "bob" not in choices
    client.post(f"/admin/instances/{iid}/tasks/{task.id}/reassign", data={"to_user": "dan"})
    assert engine.instance(iid).tasks[0].assignee == "dan"
    assert client.post(f"/admin/instances/{iid}/tasks/{task.id}/reassign",
                       data={"to_user": "amy"}).status_code == 403          # never to the owner


def failed_instance(engine) -> str:
    engine.deploy(DATA / "broken_gateway")
    iid = engine.start("broken_gateway", "amy", {"project_name": "Broken gateway"})
    with pytest.raises(ProcessError):
        engine.complete(engine.tasks("amy")[0].id, "amy", {})
    return iid


def test_the_incident_list_is_empty_without_errors(client):
    login(client, "zoe")
    response = client.get("/admin/incidents")
    assert response.status_code == 200 and not page_of(response).xpath("//textarea")


def test_an_admin_retries_an_incident_with_corrected_json(client, engine):
    iid = failed_instance(engine)
    login(client, "zoe")
    page = page_of(client.get("/admin/incidents"))
    assert "check" in page.xpath("string(//section[contains(@class,'incident')]//code)")
    action = page.xpath("//form[contains(@action,'/retry')]/@action")[0]
    response = client.post(action, data={"data": '{"level": 5'})
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("//textarea[@name='data']/text()")[0].strip() == '{"level": 5'
    assert page.xpath("//p[contains(@class,'field-error')]")
    assert client.post(action, data={"data": "[5]"}).status_code == 422
    assert engine.instance(iid).status == "error"
    assert client.post(action, data={"data": '{"level": 5}'}).status_code == 302
    assert engine.instance(iid).status == "completed"
    assert not page_of(client.get("/admin/incidents")).xpath("//textarea")
