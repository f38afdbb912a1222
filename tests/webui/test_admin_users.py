"""Admin → Users: create and edit people, deactivate and reactivate them, hand over their work."""
from __future__ import annotations

from engine import demo

from .conftest import login, page_of, text_of

NEW_USER = {"username": "pat", "display_name": "陳柏宇 Pat Chen", "email": "pat@example.test",
            "groups": ["rep", "manager"], "department": "east", "reports_to": "dan",
            "time_zone": "Asia/Tokyo", "password": "a long secret"}


def test_the_user_list_shows_groups_department_manager_and_status(client, engine):
    engine.admin.set_active("ray", False, "zoe")
    login(client, "zoe")
    client.post("/language", data={"lang": "en", "next": "/"})
    rows = {r.xpath("string(td[1]/span)"): r for r in page_of(client.get("/admin/users/")).xpath("//tbody/tr")}
    assert "Rep" in rows["amy"].xpath("string(td[2])") and rows["amy"].xpath("string(td[3])") == "north"
    assert "Bob Wang" in rows["amy"].xpath("string(td[4])") and "Active" in rows["amy"].xpath("string(td[5])")
    assert "Deactivated" in rows["ray"].xpath("string(td[5])") and rows["ray"].get("class") == "inactive"


def test_an_admin_adds_a_user_who_can_then_sign_in(client, engine):
    login(client, "zoe")
    response = client.post("/admin/users/new", data=NEW_USER)
    assert response.status_code == 302 and response.location == "/admin/users/"
    pat = engine.user("pat")
    assert (pat.display_name, pat.groups, pat.department, pat.reports_to, pat.time_zone) == \
        ("陳柏宇 Pat Chen", ["manager", "rep"], "east", "dan", "Asia/Tokyo")
    client.post("/logout")
    assert login(client, "pat", "a long secret").status_code == 302


def test_a_bad_username_is_shown_at_its_field_and_every_other_value_is_kept(client, engine):
    login(client, "zoe")
    response = client.post("/admin/users/new", data={**NEW_USER, "username": "bad name!", "password": "short"})
    assert response.status_code == 422
    page = page_of(response)
    assert "英文字母" in page.xpath("string(//*[@id='field-username--error'])")
    assert page.xpath("//*[@id='field-password--error']")
    assert page.xpath("//input[@id='field-username']/@aria-describedby")[0].endswith("field-username--error")
    assert page.xpath("//a[@href='#field-username']")                       # the summary links to it
    assert page.xpath("string(//input[@name='username']/@value)") == "bad name!"
    assert page.xpath("string(//input[@name='display_name']/@value)") == "陳柏宇 Pat Chen"
    assert page.xpath("string(//input[@name='email']/@value)") == "pat@example.test"
    assert page.xpath("string(//input[@name='department']/@value)") == "east"
    assert page.xpath("//input[@name='groups'][@checked]/@value") == ["rep", "manager"]
    assert page.xpath("string(//select[@name='reports_to']/option[@selected]/@value)") == "dan"
    assert page.xpath("string(//select[@name='time_zone']/option[@selected]/@value)") == "Asia/Tokyo"
    assert not page.xpath("string(//input[@name='password']/@value)")      # never echoed
    assert all(u.username != "bad name!" for u in engine.users())


def test_a_new_user_needs_a_password_and_a_free_username(client, engine):
    login(client, "zoe")
    response = client.post("/admin/users/new", data={**NEW_USER, "password": ""})
    assert response.status_code == 422 and page_of(response).xpath("//*[@id='field-password--error']")
    taken = client.post("/admin/users/new", data={**NEW_USER, "username": "amy"})
    assert taken.status_code == 422 and page_of(taken).xpath("//*[@id='field-username--error']")
    assert engine.user("amy").display_name == "林雅美 Amy Lin"


def test_an_admin_edits_a_users_groups_and_keeps_the_password(client, engine):
    login(client, "zoe")
    page = page_of(client.get("/admin/users/cat"))
    assert page.xpath("//input[@name='groups'][@checked]/@value") == ["committee"]
    assert page.xpath("//input[@name='username']/@readonly")
    form = {"display_name": "黃美玲 Cathy Huang", "email": "cat@demo.kamflow.test", "groups": ["committee", "chair"],
            "department": "hq", "reports_to": "dan", "time_zone": "Asia/Taipei", "password": ""}
    assert client.post("/admin/users/cat", data=form).status_code == 302
    assert engine.user("cat").groups == ["chair", "committee"]
    assert engine.authenticate("cat", demo.PASSWORD) is not None


def test_deactivating_a_user_ends_their_login_until_reactivated(app, client, engine):
    other = app.test_client()
    login(other, "amy")
    assert other.get("/").status_code == 200
    login(client, "zoe")
    assert client.post("/admin/users/amy/active", data={"active": "no"}).status_code == 302
    assert not engine.user("amy").active
    response = other.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert login(other, "amy").status_code == 401
    client.post("/admin/users/amy/active", data={"active": "yes"})
    assert login(other, "amy").status_code == 302


def test_an_admin_cannot_deactivate_themselves(client, engine):
    login(client, "zoe")
    response = client.post("/admin/users/zoe/active", data={"active": "no"})
    assert response.status_code == 422 and engine.user("zoe").active


def test_handing_over_moves_every_open_task_and_says_how_many(client, engine):
    first = demo.to_manager_review(engine, "amy", "One")
    second = demo.to_manager_review(engine, "amy", "Two")
    login(client, "zoe")
    response = client.post("/admin/users/bob/handover", data={"to_user": "dan"}, follow_redirects=True)
    assert "2" in text_of(response) and "張國強 Dan Chang" in text_of(response)
    assert {t.instance_id for t in engine.tasks("dan")} >= {first, second}
    assert engine.tasks("bob") == []
    engine.admin.set_active("ken", False, "zoe")
    refused = client.post("/admin/users/dan/handover", data={"to_user": "ken"})
    assert refused.status_code == 422 and page_of(refused).xpath("//*[@id='field-to_user--error']")
