"""Bad input on the pages: refused with the field named and everything typed shown again, on
SQLite and PostgreSQL; the text boxes' maxlength is the column's size; a time zone stored
before zones were checked shows times in UTC with a note instead of breaking every page."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import update

from engine import demo
from engine.db.schema import Group, Task, User
from engine.text import LIMITS

from .conftest import login, open_task, page_of, start_project, text_of

FORMS = Path(__file__).resolve().parents[2] / "forms"


def test_a_nul_in_the_login_name_is_refused_at_the_field_before_signing_in(db_client):
    db_client.post("/language", data={"lang": "en", "next": "/login"})
    response = db_client.post("/login", data={"username": "amy\x00", "password": demo.PASSWORD})
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("string(//*[@id='username--error'])") == "must be one line of text without control characters"
    assert page.xpath("string(//input[@name='username']/@aria-describedby)") == "username--error"
    assert db_client.get("/").status_code == 302                       # still signed out


def test_a_nul_in_the_search_box_shows_the_whole_inbox_with_the_error_at_the_box(db_client, db_engine):
    demo.to_manager_review(db_engine, "amy", "台北捷運 Taipei Metro")
    login(db_client, "bob")
    response = db_client.get("/", query_string={"q": "Metro\x00"})
    assert response.status_code == 422
    page = page_of(response)
    assert "控制字元" in page.xpath("string(//*[@id='filter-q--error'])")
    assert page.xpath("string(//input[@name='q']/@value)").startswith("Metro")   # as typed (NUL shown as U+FFFD)
    assert "台北捷運 Taipei Metro" in text_of(response)                   # the unfiltered list
    login(db_client, "zoe")
    assert db_client.get("/admin/instances", query_string={"q": "\x00"}).status_code == 422
    assert db_client.get("/", query_string={"step": "x\x00"}).status_code == 422


def test_ids_with_nul_in_the_address_are_404_not_500(db_client):
    login(db_client, "zoe")
    for path in ("/tasks/x%00", "/projects/x%00", "/admin/users/x%00", "/admin/instances/x%00", "/files/x%00"):
        assert db_client.get(path).status_code == 404, path


def test_the_admin_form_refuses_a_150_character_department_and_keeps_every_typed_value(db_client, db_engine):
    login(db_client, "zoe")
    typed = {"display_name": "林雅美 Amy Lin", "email": "amy@example.test", "department": "d" * 150,
             "reports_to": "bob", "time_zone": "Asia/Tokyo", "groups": ["rep"]}
    response = db_client.post("/admin/users/amy", data=typed)
    assert response.status_code == 422
    page = page_of(response)
    assert "100" in page.xpath("string(//*[@id='field-department--error'])")
    assert page.xpath("string(//input[@name='department']/@value)") == "d" * 150
    assert page.xpath("string(//select[@name='time_zone']/option[@selected]/@value)") == "Asia/Tokyo"
    assert db_engine.user("amy").department == "north"


def test_the_admin_form_refuses_a_time_zone_outside_the_tz_database(db_client, db_engine):
    login(db_client, "zoe")
    response = db_client.post("/admin/users/amy", data={"display_name": "Amy", "department": "north",
                                                         "time_zone": "Mars/Olympus_Mons", "groups": ["rep"]})
    assert response.status_code == 422
    assert "Mars/Olympus_Mons" in page_of(response).xpath("string(//*[@id='field-time_zone--error'])")
    assert db_engine.user("amy").time_zone == "Asia/Taipei"


def test_a_stored_unknown_time_zone_shows_times_in_utc_with_a_note_and_settings_can_fix_it(db_client, db_engine):
    with db_engine.db.begin() as conn:             # stored before time zones were checked
        conn.execute(update(User).where(User.username == "amy").values(time_zone="Mars/Olympus_Mons"))
    login(db_client, "amy")
    iid = start_project(db_client)
    task = open_task(db_engine, iid, "customer_info")
    for path in ("/", f"/tasks/{task.id}", f"/projects/{iid}", "/settings/"):
        response = db_client.get(path)
        assert response.status_code == 200, path
        assert "Mars/Olympus_Mons" in text_of(response) and "UTC" in text_of(response), path
    settings = page_of(db_client.get("/settings/"))
    assert settings.xpath("string(//select[@name='time_zone']/option[@selected]/@value)") == "UTC"
    started = db_engine.instance(iid).created_at
    assert started.strftime("%Y-%m-%d %H:%M") in text_of(db_client.get(f"/projects/{iid}"))
    db_client.post("/settings/preferences", data={"locale": "zh_Hant", "time_zone": "Asia/Taipei"})
    assert "Mars/Olympus_Mons" not in text_of(db_client.get("/"))


def test_a_too_long_withdraw_reason_comes_back_with_the_error_and_the_reason_kept(db_client, db_engine):
    login(db_client, "amy")
    iid = start_project(db_client)
    reason = "原因 " * 1000
    response = db_client.post(f"/projects/{iid}/withdraw", data={"reason": reason})
    assert response.status_code == 422
    page = page_of(response)
    assert str(LIMITS["reason"]) in page.xpath("string(//*[@id='reason--error'])")
    assert page.xpath("string(//textarea[@name='reason'])").strip() == reason.strip()
    assert db_engine.instance(iid).status == "running"


def test_every_text_box_takes_its_maxlength_from_the_column_or_form_it_fills(client, engine):
    """The browser's limit and the engine's are one number: the column's size (or the form's)."""
    assert page_of(client.get("/login")).xpath("string(//input[@name='username']/@maxlength)") == \
        str(User.username.type.length)
    login(client, "zoe")
    form = page_of(client.get("/admin/users/new"))
    for field in ("username", "display_name", "email", "department"):
        assert form.xpath(f"string(//input[@name='{field}']/@maxlength)") == str(getattr(User, field).type.length)
    assert page_of(client.get("/admin/instances")).xpath("string(//input[@name='q']/@maxlength)") == \
        str(LIMITS["search"])
    assert page_of(client.get("/admin/groups/")).xpath("string(//input[@name='name']/@maxlength)") == \
        str(Group.name.type.length)
    login(client, "amy")
    assert page_of(client.get("/")).xpath("string(//input[@name='q']/@maxlength)") == str(LIMITS["search"])
    iid = start_project(client)
    assert page_of(client.get(f"/projects/{iid}/withdraw")).xpath(
        "string(//textarea[@name='reason']/@maxlength)") == str(LIMITS["reason"])
    task = open_task(engine, iid, "customer_info")
    page = page_of(client.get(f"/tasks/{task.id}"))
    schema = json.loads((FORMS / "customer_info.schema.json").read_text(encoding="utf-8"))
    customer = schema["properties"]["customer"]["properties"]
    assert page.xpath("string(//input[@name='customer.name']/@maxlength)") == str(customer["name"]["maxLength"])
    assert page.xpath("string(//textarea[@name='customer.business']/@maxlength)") == \
        str(customer["business"]["maxLength"])
    assert Task.bpmn_id.type.length == LIMITS["step"]
