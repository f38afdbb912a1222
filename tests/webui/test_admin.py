"""Administration skeleton: instances by status and search, status changes, incidents."""
from __future__ import annotations

from engine import demo

from .conftest import login, page_of, text_of


def test_only_admins_reach_the_admin_pages(client):
    for user in ("amy", "bob", "col"):
        login(client, user)
        assert client.get("/admin/").status_code == 403
        assert client.get("/admin/incidents").status_code == 403
        client.post("/logout")


def test_an_admin_filters_instances_by_status_and_searches_them(client, engine):
    running = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    stopped = engine.start(demo.PROCESS, "amy", {"project_name": "Port"})
    engine.withdraw(stopped, "amy")
    login(client, "zoe")
    assert {"Metro", "Port"} <= set(text_of(client.get("/admin/")).split())
    only_running = text_of(client.get("/admin/?status=running"))
    assert "Metro" in only_running and "Port" not in only_running
    assert "Metro" not in text_of(client.get("/admin/?q=port"))
    assert running


def test_an_admin_suspends_resumes_and_terminates_an_instance(client, engine):
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Metro"})
    login(client, "zoe")
    assert page_of(client.get("/admin/")).xpath(f"//form[@action='/admin/instances/{iid}/suspend']")
    client.post(f"/admin/instances/{iid}/suspend")
    assert engine.instance(iid).status == "suspended"
    client.post(f"/admin/instances/{iid}/resume")
    assert engine.instance(iid).status == "running"
    client.post(f"/admin/instances/{iid}/terminate")
    assert engine.instance(iid).status == "terminated"
    assert client.post(f"/admin/instances/{iid}/explode").status_code == 404


def test_the_incident_list_is_empty_without_errors(client):
    login(client, "zoe")
    response = client.get("/admin/incidents")
    assert response.status_code == 200 and not page_of(response).xpath("//table")
