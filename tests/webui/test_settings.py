"""My settings: language, time zone, e-mail notifications, out of office, recent notifications."""
from __future__ import annotations

from datetime import date, timedelta

from engine import demo
from engine.mail import deliver

from .conftest import login, page_of, text_of


def test_every_signed_in_user_has_a_settings_page_linked_from_the_menu(client):
    assert client.get("/settings/").status_code == 302
    login(client, "amy")
    assert page_of(client.get("/")).xpath("//nav[@class='main-nav']//a[@href='/settings/']")
    page = page_of(client.get("/settings/"))
    assert page.xpath("string(//select[@name='time_zone']/option[1]/@value)") == "Asia/Taipei"
    assert page.xpath("string(//select[@name='locale']/option[@selected]/@value)") == "zh_Hant"


def test_saving_language_time_zone_and_notifications(client, engine):
    login(client, "bob")
    response = client.post("/settings/preferences", data={"locale": "en", "time_zone": "Europe/London",
                                                          "notify": "off"}, follow_redirects=True)
    assert page_of(response).xpath("string(//h1)") == "Settings"
    assert "Your settings were saved." in text_of(response)
    bob = engine.user("bob")
    assert (bob.locale, bob.time_zone) == ("en", "Europe/London")
    demo.to_manager_review(engine, "amy", "Quiet")
    assert deliver(engine, None) == 0
    row = page_of(client.get("/settings/")).xpath("//table//tr[contains(., 'Quiet')]")[0]   # still listed
    assert "Not e-mailed" in row.text_content()


def test_an_unknown_time_zone_comes_back_with_the_error_and_the_choices_kept(client, engine):
    login(client, "amy")
    response = client.post("/settings/preferences", data={"locale": "en", "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    page = page_of(response)
    assert "Mars/Olympus" in page.xpath("string(//*[@id='field-time_zone--error'])")
    assert page.xpath("string(//select[@name='locale']/option[@selected]/@value)") == "en"
    assert engine.user("amy").time_zone == "Asia/Taipei"


def test_out_of_office_sends_new_manager_tasks_to_the_stand_in_until_cleared(client, engine):
    login(client, "bob")
    today = date.today()
    response = client.post("/settings/out-of-office", data={
        "delegate": "dan", "delegate_from": (today - timedelta(days=1)).isoformat(),
        "delegate_until": (today + timedelta(days=5)).isoformat()})
    assert response.status_code == 302
    away = demo.to_manager_review(engine, "amy", "While Bob is away")
    assert engine.instance(away).tasks[0].assignee == "dan"
    client.post("/settings/out-of-office/clear")
    back = demo.to_manager_review(engine, "amy", "Bob is back")
    assert engine.instance(back).tasks[0].assignee == "bob"


def test_out_of_office_in_the_future_does_not_apply_yet(client, engine):
    login(client, "bob")
    later = date.today() + timedelta(days=3)
    client.post("/settings/out-of-office", data={"delegate": "dan", "delegate_from": later.isoformat()})
    iid = demo.to_manager_review(engine, "amy", "Before the holiday")
    assert engine.instance(iid).tasks[0].assignee == "bob"


def test_out_of_office_errors_are_shown_at_their_fields(client, engine):
    login(client, "bob")
    today = date.today()
    cases = [({"delegate": ""}, "delegate"), ({"delegate": "dan", "delegate_from": "31/12/2026"}, "delegate_from"),
             ({"delegate": "bob"}, "delegate"),
             ({"delegate": "dan", "delegate_from": today.isoformat(),
               "delegate_until": (today - timedelta(days=2)).isoformat()}, "delegate_until")]
    for form, field in cases:
        response = client.post("/settings/out-of-office", data=form)
        assert response.status_code == 422, form
        page = page_of(response)
        assert page.xpath(f"//*[@id='field-{field}--error']"), form
        assert page.xpath("string(//select[@name='delegate']/option[@selected]/@value)") == form["delegate"] \
            or form["delegate"] == "bob"


def test_my_recent_notifications_link_to_their_task(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Notified")
    task = engine.instance(iid).tasks[0]
    login(client, "bob")
    page = page_of(client.get("/settings/"))
    assert page.xpath(f"//table//a[@href='/tasks/{task.id}']")


def test_my_recent_notifications_are_worded_in_the_language_i_read_the_page_in(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Notified")
    demo.complete_open(engine, iid, "manager_review", "return")
    login(client, "amy")
    subjects = page_of(client.get("/settings/")).xpath("//table//td[2]//a/text()")
    assert subjects == ["已退回給您：Notified－專案建議書"]
    client.post("/language", data={"lang": "en", "next": "/settings/"})
    subjects = page_of(client.get("/settings/")).xpath("//table//td[2]//a/text()")
    assert subjects == ["Returned to you: Project proposal – Notified"]
