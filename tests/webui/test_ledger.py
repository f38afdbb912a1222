"""The relationship ledger's pages: refusals that keep every typed value and name the field,
the stage rising on the contact page, gifts on the account page, coverage on the project and
the proposal task, going cold on the home page, the admin settings and CSRF."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine import demo

from .conftest import login, open_task, page_of, text_of


@pytest.fixture
def metro(engine):
    account_id = engine.accounts.create("amy", {"name": "台北捷運公司", "account_type": "national"})
    lin = engine.accounts.add_contact(account_id, "amy", {"name": "林主任", "title": "資訊長",
                                                          "decision_role": "decision_maker"})
    return account_id, lin


def test_a_refused_activity_keeps_what_was_typed_and_names_the_field_and_a_valid_one_raises_the_stage(client, metro):
    _account_id, lin = metro
    login(client, "amy")
    # the future in amy's own zone (Taipei is a day ahead of UTC from 16:00 UTC): two UTC days on
    future = (date.today() + timedelta(days=2)).isoformat()
    response = client.post(f"/contacts/{lin}/activities/new",
                           data={"kind": "business_meal", "occurred_on": future, "notes": "與林主任餐敘"})
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("string(//select[@name='kind']/option[@selected]/@value)") == "business_meal"
    assert page.xpath("string(//textarea[@name='notes'])").strip() == "與林主任餐敘"
    assert [a.get("href") for a in page.xpath("//div[@id='error-summary']//a")] == ["#field-occurred_on"]
    assert "不能是未來的日期" in page.get_element_by_id("error-summary").text_content()
    response = client.post(f"/contacts/{lin}/activities/new",
                           data={"kind": "business_meal", "occurred_on": date.today().isoformat(), "notes": "餐敘"})
    assert response.status_code == 302
    page = page_of(client.get(f"/contacts/{lin}"))
    assert page.xpath("string(//p[@class='stage-now'])").strip() == "約會（邀約互動）"
    assert "商務餐敘或活動" in page.get_element_by_id("ledger").text_content()


def test_a_fall_without_a_reason_and_a_rise_without_evidence_are_refused_by_field(client, engine, metro):
    _account_id, lin = metro
    engine.ledger.record_activity(lin, "amy", {"kind": "social_event", "occurred_on": date.today().isoformat()})
    login(client, "amy")
    response = client.post(f"/contacts/{lin}/stage", data={"stage": "acquaintance", "reason": ""})
    assert response.status_code == 422
    assert page_of(response).xpath("string(//input[@name='stage'][@checked]/@value)") == "acquaintance"
    assert "說明關係為何退步" in text_of(response)
    response = client.post(f"/contacts/{lin}/stage", data={"stage": "alliance", "reason": "他很支持"})
    assert response.status_code == 422 and page_of(response).xpath("string(//textarea[@name='reason'])").strip() == "他很支持"
    assert engine.accounts.contact(lin, "amy").relationship_stage == "trust"


def test_a_gift_to_a_public_official_shows_as_awaiting_compliance_on_the_account_page(client, engine, metro):
    account_id, _lin = metro
    demo.create_compliance(engine)
    official = engine.accounts.add_contact(account_id, "amy", {"name": "張局長", "public_official": True})
    login(client, "amy")
    typed = {"contact_id": official, "kind": "gift", "description": "", "given_on": date.today().isoformat(),
             "amount": "abc", "currency": "TWD"}
    response = client.post(f"/accounts/{account_id}/gifts/new", data=typed)
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("string(//input[@name='amount']/@value)") == "abc"
    assert {a.get("href") for a in page.xpath("//div[@id='error-summary']//a")} == {"#field-description",
                                                                                  "#field-amount"}
    response = client.post(f"/accounts/{account_id}/gifts/new", data={**typed, "amount": "500", "description": "茶葉"})
    assert response.status_code == 302
    gifts = page_of(client.get(f"/accounts/{account_id}")).get_element_by_id("gifts").text_content()
    assert "待法遵審核" in gifts and "致贈公務人員" in gifts
    login(client, "eve")
    assert "禮品合規審查" in text_of(client.get("/"))


def test_the_proposal_task_and_the_project_page_warn_when_no_decision_maker_is_beyond_acquaintance(client, engine,
                                                                                                   metro):
    account_id, lin = metro
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "票務系統", "account_id": account_id})
    for bpmn_id in demo.INFORMATION:
        demo.complete_open(engine, iid, bpmn_id)
    login(client, "amy")
    task = open_task(engine, iid, "proposal")
    assert "尚無任何決策者的關係超過「認識」" in text_of(client.get(f"/tasks/{task.id}"))
    coverage = page_of(client.get(f"/projects/{iid}")).get_element_by_id("coverage").text_content()
    assert "林主任" in coverage
    engine.ledger.record_activity(lin, "amy", {"kind": "technical_exchange", "occurred_on": date.today().isoformat()})
    assert "尚無任何決策者" not in text_of(client.get(f"/tasks/{task.id}"))


def test_admins_change_the_ledger_settings_and_a_refusal_names_the_field(client, engine):
    login(client, "amy")
    assert client.get("/admin/workspace/").status_code == 403
    login(client, "zoe")
    typed = {"going_cold_days": "0", "gift_threshold_amount": "5000", "gift_threshold_currency": "TWD",
             "coverage_mode": "block"}
    response = client.post("/admin/workspace/", data=typed)
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("string(//input[@name='gift_threshold_amount']/@value)") == "5000"
    assert [a.get("href") for a in page.xpath("//div[@id='error-summary']//a")] == ["#field-going_cold_days"]
    assert client.post("/admin/workspace/", data={**typed, "going_cold_days": "30"}).status_code == 302
    assert (engine.ledger.settings().going_cold_days, engine.ledger.settings().coverage_mode) == (30, "block")


def test_ledger_forms_refuse_a_post_without_the_csrf_token(engine, metro, tmp_path):
    from webui import create_app
    _account_id, lin = metro
    app = create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "test-secret",
                      "INSTANCE_PATH": tmp_path / "csrf"})
    client = app.test_client()
    login_page = client.get("/login")
    token = page_of(login_page).xpath("string(//input[@name='csrf_token']/@value)")
    client.post("/login", data={"username": "amy", "password": demo.PASSWORD, "csrf_token": token})
    response = client.post(f"/contacts/{lin}/activities/new",
                           data={"kind": "phone_contact", "occurred_on": date.today().isoformat()})
    assert response.status_code == 400
    assert engine.ledger.of_contact(lin, "amy").activities == []
