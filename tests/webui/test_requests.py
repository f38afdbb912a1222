"""Requests: the process catalog offers processes to start; their instances are listed apart from
the projects; admins keep the catalog; a call shows the version it runs."""
from __future__ import annotations

import io

from ..conftest import DATA
from .conftest import login, page_of, start_project, text_of


def test_a_process_from_the_catalog_starts_and_is_listed_apart_from_the_projects(client, engine):
    engine.deploy(DATA / "manual_steps")
    login(client, "amy")
    page = page_of(client.get("/requests/"))
    assert page.xpath("//li[@class='catalog-entry']//a/@href") == ["/projects/new", "/requests/new/manual_steps"]
    response = client.post("/requests/new/manual_steps", data={})
    assert response.status_code == 302
    iid = response.location.rsplit("/", 1)[-1]
    assert engine.instance(iid).project_name == "Stock check #1"
    project = start_project(client)
    assert f"/projects/{iid}" not in client.get("/projects/").get_data(as_text=True)
    assert f"/projects/{project}" in client.get("/projects/").get_data(as_text=True)
    listed = page_of(client.get("/requests/"))
    assert listed.xpath("//table//a/@href") == [f"/projects/{iid}"]
    shown = page_of(client.get(f"/projects/{iid}"))
    assert shown.xpath("string(//p[@class='eyebrow'])") == "Stock check"
    task = engine.instance(iid).tasks[0]
    assert "Count the Taoyuan shelves" in text_of(client.get(f"/tasks/{task.id}"))


def test_an_admin_limits_a_process_to_a_group_and_describes_it(client, engine):
    engine.deploy(DATA / "manual_steps")
    engine.groups.create("Warehouse", "zoe")
    engine.groups.add_member("Warehouse", "ray", "zoe")
    login(client, "zoe")
    assert "Stock check" in text_of(client.get("/admin/catalog/"))
    too_long = "字" * 2001
    response = client.post("/admin/catalog/manual_steps", data={
        "offered": "yes", "groups": ["Warehouse"], "descriptions.zh_Hant": too_long, "descriptions.en": "Count"})
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("//*[@id='error-summary']//a[@href='#field-descriptions.zh_Hant']")
    assert page.xpath("string(//textarea[@name='descriptions.zh_Hant'])").strip() == too_long
    assert page.xpath("//input[@name='groups'][@value='Warehouse']/@checked")
    response = client.post("/admin/catalog/manual_steps", data={
        "offered": "yes", "groups": ["Warehouse"], "descriptions.zh_Hant": "倉庫盤點", "descriptions.en": "Count"})
    assert response.status_code == 302
    client.post("/logout")
    login(client, "amy")
    assert "倉庫盤點" not in text_of(client.get("/requests/"))
    assert client.post("/requests/new/manual_steps", data={}).status_code == 403
    client.post("/logout")
    login(client, "ray")
    assert "倉庫盤點" in text_of(client.get("/requests/"))
    assert client.post("/requests/new/manual_steps", data={}).status_code == 302


def test_the_page_of_a_request_that_calls_another_process_names_the_version_it_runs(client, engine):
    engine.deploy(DATA / "call_bundled")
    login(client, "amy")
    iid = client.post("/requests/new/sample_order", data={}).location.rsplit("/", 1)[-1]
    order = engine.instance(iid).tasks[0]
    assert client.post(f"/tasks/{order.id}", data={"samples": "2"}).status_code == 302
    (approve,) = engine.instance(iid).tasks
    assert approve.bpmn_id == "approve_samples"
    shown = text_of(client.get(f"/projects/{iid}"))
    assert "Get approval → sample_approval 第 1 版" in shown


def test_a_file_field_takes_an_upload_and_the_file_becomes_an_attachment_of_the_request(client, engine):
    engine.deploy(DATA / "file_field")
    login(client, "amy")
    iid = client.post("/requests/new/expense_claim", data={}).location.rsplit("/", 1)[-1]
    task = engine.instance(iid).tasks[0]
    page = page_of(client.get(f"/tasks/{task.id}"))
    assert page.xpath("//input[@type='file'][@name='receipt']/@id") == ["field-receipt"]
    refused = client.post(f"/tasks/{task.id}", content_type="multipart/form-data",
                          data={"amount": "300", "receipt": (io.BytesIO(b"MZ"), "tool.exe")})
    assert refused.status_code == 422
    assert page_of(refused).xpath("//*[@id='error-summary']//a[@href='#field-receipt']")
    assert page_of(refused).xpath("string(//input[@name='amount']/@value)") == "300"
    png = b"\x89PNG\r\n\x1a\n receipt"
    done = client.post(f"/tasks/{task.id}", content_type="multipart/form-data",
                       data={"amount": "300", "receipt": (io.BytesIO(png), "收據.png")})
    assert done.status_code == 302
    (stored,) = engine.attachments.list(iid, "amy")
    assert (stored.filename, stored.task_id) == ("收據.png", task.id)
    assert engine.instance(iid).data["receipt"] == f"attachment:{stored.id}"
    assert "收據.png" in text_of(client.get(f"/projects/{iid}"))
