"""Account, contact and competitor pages: login, per-object access, refusals that keep every
typed value, stale edits, the account page's sections, and starting a project on an account."""
from __future__ import annotations

import pytest

from engine import demo

from .conftest import login, open_task, page_of, text_of

METRO = {"name": "台北捷運公司", "account_type": "national", "industry": "大眾運輸",
         "revenues": [{"year": 2025, "amount": 3_000_000, "currency": "TWD"}],
         "criteria": {"sales_volume": 5, "technology_absorption": 4, "market_strength": 4, "financial_health": 5}}


@pytest.fixture
def metro(engine):
    account_id = engine.accounts.create("amy", METRO)
    lin = engine.accounts.add_contact(account_id, "amy", {"name": "林主任", "title": "資訊長",
                                                          "decision_role": "decision_maker", "top_executive": True})
    engine.accounts.add_contact(account_id, "amy", {"name": "陳經理", "decision_role": "influencer",
                                                    "reports_to_id": lin})
    engine.accounts.add_competitor(account_id, "amy", {"name": "Acme Systems", "customer_satisfaction": 2,
                                                       "sales_reps": [{"name": "李業務", "sales_approach": "低價搶單"}]})
    return account_id, lin


def urls(account_id: str, contact_id: str) -> list[str]:
    return ["/accounts/", f"/accounts/{account_id}", f"/accounts/{account_id}/edit",
            f"/accounts/{account_id}/our-side", f"/accounts/{account_id}/contacts/new",
            f"/accounts/{account_id}/competitors/new", f"/contacts/{contact_id}", f"/contacts/{contact_id}/edit"]


def test_a_rep_outside_the_account_team_gets_403_on_every_page_of_it(client, metro):
    account_id, lin = metro
    login(client, "ray")                      # a rep in another department
    for url in urls(account_id, lin)[1:]:
        assert client.get(url).status_code == 403, url
    for url in (f"/accounts/{account_id}/edit", f"/contacts/{lin}/remove", f"/accounts/{account_id}/contacts/new"):
        assert client.post(url, data={"name": "Spy"}).status_code == 403, url
    assert "台北捷運公司" not in text_of(client.get("/accounts/"))


def test_a_manager_above_the_owner_sees_the_account_but_its_forms_are_403(client, metro):
    account_id, lin = metro
    login(client, "bob")
    page = page_of(client.get(f"/accounts/{account_id}"))
    assert page.xpath("string(//h1)") == "台北捷運公司"
    assert not page.xpath(f"//a[@href='/accounts/{account_id}/edit']")
    for url in urls(account_id, lin)[2:6] + [f"/contacts/{lin}/edit"]:
        assert client.get(url).status_code == 403, url


def test_the_account_page_shows_its_people_influence_map_projects_competitors_and_timeline(client, engine, metro):
    account_id, lin = metro
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "票務系統", "account_id": account_id})
    login(client, "amy")
    page = page_of(client.get(f"/accounts/{account_id}"))
    people = page.get_element_by_id("people")
    assert [a.text for a in people.xpath(".//table//td[1]/a")] == ["林主任", "陳經理"]
    assert "參與最終決策" in people.text_content()
    assert people.xpath("string(.//ul[@class='influence-map']/li/ul/li//a)") == "陳經理"      # reports to 林主任
    assert page.xpath(f"string(//section[@id='projects']//a[@href='/projects/{iid}'])") == "票務系統"
    assert "李業務" in page.get_element_by_id("competitors").text_content()
    assert page.xpath("string(//p[@class='meta']//span[contains(@class,'badge-tier-A')])") == "A 級"
    assert "88" in page.xpath("string(//strong[@class='score'])")
    timeline = page.get_element_by_id("timeline").text_content()
    assert "啟動了專案「票務系統」" in timeline and "建立了客戶" in timeline


def test_a_refused_account_comes_back_with_every_typed_value_and_names_the_fields(client):
    login(client, "amy")
    typed = {"name": "   ", "account_type": "national", "industry": "運輸業", "owner": "amy",
             "revenues.0.year": "2024", "revenues.0.amount": "1,200,000", "revenues.0.currency": "TWD",
             "revenues.1.year": "2024", "revenues.1.amount": "abc", "revenues.1.currency": "USD",
             "_rows.revenues": "2"}
    response = client.post("/accounts/new", data=typed)
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("string(//input[@name='industry']/@value)") == "運輸業"
    assert page.xpath("string(//input[@name='revenues.1.amount']/@value)") == "abc"
    assert page.xpath("string(//input[@name='revenues.0.amount']/@value)") == "1200000"
    summary = {a.get("href") for a in page.xpath("//div[@id='error-summary']//a")}
    assert {"#field-name", "#field-revenues-1-amount"} <= summary
    assert "maxlength" in page.xpath("//input[@name='name']")[0].attrib
    assert page.xpath("string(//input[@name='name']/@maxlength)") == "200"       # Account.name's size


def test_an_account_is_created_and_a_project_started_on_it_opens_its_forms_pre_filled(client, engine):
    login(client, "amy")
    response = client.post("/accounts/new", data={"name": "高雄港務公司", "account_type": "regional",
                                                  "owner": "amy", "then": "project"})
    assert response.status_code == 302 and "/projects/new?account=" in response.location
    account_id = response.location.rsplit("=", 1)[-1]
    page = page_of(client.get(response.location))
    assert page.xpath("string(//select[@name='account_id']/option[@selected]/@value)") == account_id
    response = client.post("/projects/new", data={"project_name": "港區自動化", "account_id": account_id})
    iid = response.location.rsplit("/", 1)[-1]
    task = open_task(engine, iid, "customer_info")
    page = page_of(client.get(f"/tasks/{task.id}"))
    assert page.xpath("string(//input[@name='customer.name']/@value)") == "高雄港務公司"
    assert page.xpath("string(//input[@name='customer.account_type'][@checked]/@value)") == "regional"
    assert "港區自動化" in text_of(client.get(f"/accounts/{account_id}"))


def test_the_start_page_offers_only_my_accounts_and_refuses_someone_elses(client, engine, metro):
    account_id, _lin = metro
    login(client, "ray")
    page = page_of(client.get("/projects/new"))
    assert page.xpath("//*[@name='account_id']") == []          # no account yet: the customer form makes one
    own = engine.accounts.create("ray", {"name": "高雄港務公司", "account_type": "regional"})
    page = page_of(client.get("/projects/new"))
    assert page.xpath("//select[@name='account_id']/option/@value") == ["", own]
    response = client.post("/projects/new", data={"project_name": "Not mine", "account_id": account_id})
    assert response.status_code == 422
    assert page_of(response).xpath("string(//input[@name='project_name']/@value)") == "Not mine"


def test_a_change_saved_by_someone_else_meanwhile_is_refused_and_the_typed_values_stay(client, engine, metro):
    account_id, _lin = metro
    login(client, "amy")
    version = page_of(client.get(f"/accounts/{account_id}/edit")).xpath("string(//input[@name='_version']/@value)")
    engine.accounts.update(account_id, "zoe", {**METRO, "industry": "Rail"})
    response = client.post(f"/accounts/{account_id}/edit", data={
        "_version": version, "name": "台北捷運公司", "account_type": "national", "industry": "Metro rail"})
    assert response.status_code == 409
    page = page_of(response)
    assert page.xpath("string(//input[@name='industry']/@value)") == "Metro rail"
    assert page.xpath("//div[contains(@class,'alert-warning')]")
    assert engine.accounts.get(account_id, "amy").industry == "Rail"


def test_people_and_competitors_are_added_and_changed_through_their_forms(client, engine, metro):
    account_id, lin = metro
    login(client, "amy")
    response = client.post(f"/accounts/{account_id}/contacts/new", data={
        "name": "王總經理", "title": "總經理", "decision_role": "decision_maker", "top_executive": "true",
        "reports_to_id": "", "owner": "amy"})
    contact_id = response.location.rsplit("/", 1)[-1]
    page = page_of(client.get(f"/contacts/{contact_id}"))
    assert page.xpath("string(//h1)") == "王總經理" and "尚無關係" in page.text_content()
    refused = client.post(f"/contacts/{lin}/edit", data={"name": "林主任", "title": "資訊長",
                                                         "reports_to_id": lin, "_version": "1"})
    assert refused.status_code == 422
    assert "#field-reports_to_id" in {a.get("href") for a in page_of(refused).xpath("//div[@id='error-summary']//a")}
    response = client.post(f"/accounts/{account_id}/competitors/new", data={
        "name": "Beta Corp", "customer_satisfaction": "4", "sales_reps.0.name": "張業務",
        "sales_reps.0.relationship_with_customer": "與採購熟識", "_rows.sales_reps": "1"})
    assert response.status_code == 302
    (beta,) = [c for c in engine.accounts.get(account_id, "amy").competitors if c.name == "Beta Corp"]
    assert [(r.name, r.relationship_with_customer) for r in beta.sales_reps] == [("張業務", "與採購熟識")]
    assert client.post(f"/contacts/{contact_id}/remove").status_code == 302
    assert [c.name for c in engine.accounts.get(account_id, "amy").contacts] == ["林主任", "陳經理"]


def test_the_account_list_filters_by_type_owner_and_tier(client, engine, metro):
    engine.accounts.create("amy", {"name": "小鎮商行", "account_type": "regional"})
    login(client, "amy")
    assert [a.text for a in page_of(client.get("/accounts/")).xpath("//table//td[1]/a")] == ["台北捷運公司", "小鎮商行"]
    assert [a.text for a in page_of(client.get("/accounts/?tier=A")).xpath("//table//td[1]/a")] == ["台北捷運公司"]
    assert [a.text for a in page_of(client.get("/accounts/?type=regional&owner=amy")).xpath("//table//td[1]/a")] \
        == ["小鎮商行"]
    assert page_of(client.get("/accounts/?type=bogus")).xpath("string(//select[@name='type']/option[@selected])") \
        == ""


def test_account_pages_speak_traditional_chinese(client, engine, metro):
    from .test_i18n import ui_words
    account_id, lin = metro
    login(client, "amy")
    people = {word.strip("()") for u in engine.users() for word in f"{u.display_name} ({u.username})".split()}
    allowed = {"KAM", "Flow", "English", "Acme", "Systems", "TWD", "A", "B", "C", "K"} | people   # names, data, tiers
    for url in urls(account_id, lin) + ["/accounts/new"]:
        assert ui_words(client.get(url)) <= allowed, url


def test_account_forms_refuse_a_post_without_the_csrf_token(engine, metro, tmp_path):
    from webui import create_app
    account_id, lin = metro
    app = create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "test-secret",
                      "INSTANCE_PATH": tmp_path / "csrf"})
    client = app.test_client()
    login_page = client.get("/login")
    token = page_of(login_page).xpath("string(//input[@name='csrf_token']/@value)")
    client.post("/login", data={"username": "amy", "password": demo.PASSWORD, "csrf_token": token})
    for url in (f"/accounts/{account_id}/edit", f"/contacts/{lin}/remove", "/accounts/new"):
        assert client.post(url, data={"name": "x"}).status_code == 400, url
