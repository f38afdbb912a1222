"""Traditional Chinese by default, English on request; form text from the forms catalog; local times."""
from __future__ import annotations

from engine import demo

from .conftest import login, open_task, page_of, start_project, text_of


def test_pages_are_in_traditional_chinese_by_default(client):
    login(client, "amy")
    page = page_of(client.get("/"))
    assert page.get("lang") == "zh-Hant-TW"
    assert page.xpath("string(//h1)") == "待辦事項"


def test_the_language_switch_changes_the_page_language_and_returns_to_the_page(client):
    login(client, "amy")
    response = client.post("/language", data={"lang": "en", "next": "/projects/"})
    assert response.location == "/projects/"
    page = page_of(client.get("/"))
    assert page.get("lang") == "en" and page.xpath("string(//h1)") == "Inbox"
    client.post("/language", data={"lang": "zh_Hant", "next": "/"})
    assert page_of(client.get("/")).xpath("string(//h1)") == "待辦事項"


def test_the_language_switch_is_on_the_login_page_too(client):
    page = page_of(client.get("/login"))
    assert page.xpath("//form[@action='/language']//button[@value='en']")
    client.post("/language", data={"lang": "en", "next": "/login"})
    assert page_of(client.get("/login")).xpath("string(//h1)") == "Sign in to KAM Flow"


def test_an_unknown_language_or_an_off_site_next_is_ignored(client):
    login(client, "amy")
    response = client.post("/language", data={"lang": "xx", "next": "//evil.example/"})
    assert response.location == "/"
    assert page_of(client.get("/")).xpath("string(//h1)") == "待辦事項"


def test_form_labels_and_task_names_come_from_the_forms_catalog(client, engine):
    login(client, "amy")
    iid = start_project(client)
    response = client.get(f"/tasks/{open_task(engine, iid, 'customer_info').id}")
    page = page_of(response)
    assert page.xpath("string(//h1)") == "客戶資訊表"
    assert page.xpath("string(//label[@for='field-customer-name'])").startswith("客戶名稱")
    client.post("/language", data={"lang": "en", "next": "/"})
    page = page_of(client.get(f"/tasks/{open_task(engine, iid, 'customer_info').id}"))
    assert page.xpath("string(//h1)") == "Customer information"


def ui_words(response) -> set[str]:
    """Latin words on the page outside user data (answers, values, names) and the diagram."""
    page = page_of(response)
    data = ("//*[local-name()='svg'] | //dl[@class='answers'] | //dl[@class='decision-details']"
            " | //textarea | //*[contains(@class,'readonly-value')] | //title"
            " | //*[contains(@class,'return-reason')] | //section[@class='review-lead']")
    for node in page.xpath(data):
        node.drop_tree()
    words = {w.strip("·:;,.()“”—…*") for w in page.text_content().split()}
    return {w for w in words if w.isascii() and any(c.isalpha() for c in w)}


def test_every_visible_ui_string_on_the_main_pages_is_translated(client, engine):
    """No English left on zh-Hant pages except names, data and the product name."""
    iid = demo.to_manager_review(engine, "amy", "專案")
    demo.complete_open(engine, iid, "manager_review", "return")
    login(client, "amy")
    allowed = {"KAM", "Flow", "English", "Amy", "Lin", "Bob", "Wang", "K", "Taipei", "Metro", "PDF", "TWD",
               "Director", "Ms", "Chen"}     # the demo's people (decision-unit coverage) and currencies aside
    for url in ("/", "/projects/", f"/projects/{iid}", f"/tasks/{open_task(engine, iid, 'proposal').id}",
                "/projects/new", f"/projects/{iid}/withdraw", "/tasks/missing"):
        assert ui_words(client.get(url)) <= allowed, url


def test_times_are_shown_in_the_users_time_zone(client, engine):
    engine.add_user("amy", groups=["rep"], department="north", reports_to="bob", display_name="Amy",
                    time_zone="Europe/London")
    login(client, "amy")
    iid = start_project(client)
    started = engine.instance(iid).created_at
    from zoneinfo import ZoneInfo
    expected = started.astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%d %H:%M")
    assert expected in text_of(client.get(f"/projects/{iid}"))


def test_the_chosen_language_is_remembered_for_the_next_sign_in(app, client, engine):
    login(client, "amy")
    client.post("/language", data={"lang": "en", "next": "/"})
    assert engine.user("amy").locale == "en"
    other_browser = app.test_client()
    login(other_browser, "amy")
    assert page_of(other_browser.get("/")).xpath("string(//h1)") == "Inbox"
