"""Handing a leaver's accounts over: the forms on the account and admin pages, who may use them,
and the successor confirming each person's stage on the contact page (shown on the home page)."""
from __future__ import annotations

import pytest

from engine import demo

from .conftest import login, page_of, text_of


@pytest.fixture
def metro(engine):
    """amy's account with a decision maker at engagement."""
    account_id = engine.accounts.create("amy", {"name": "台北捷運公司", "account_type": "national"})
    lin = engine.accounts.add_contact(account_id, "amy", {"name": "林主任", "decision_role": "decision_maker"})
    engine.ledger.record_activity(lin, "amy", {"kind": "business_meal", "occurred_on": "2026-01-10"})
    return account_id, lin


def test_a_manager_hands_an_account_over_and_the_successor_confirms_the_stage(client, engine, metro):
    account_id, lin = metro
    engine.start(demo.PROCESS, "amy", {"project_name": "票務系統", "account_id": account_id})
    login(client, "bob")
    page = page_of(client.get(f"/accounts/{account_id}"))
    assert page.xpath(f"//a[@href='/accounts/{account_id}/handover']")
    form = page_of(client.get(f"/accounts/{account_id}/handover"))
    choices = form.xpath("//select[@name='successor']/option/@value")
    assert "ray" in choices and "amy" not in choices
    done = client.post(f"/accounts/{account_id}/handover", data={"successor": "ray"}, follow_redirects=True)
    assert "已將 1 個客戶交接給 陳志明 Ray Chen" in text_of(done)
    assert "進行中的專案仍由 林雅美 Amy Lin 負責：#1 票務系統" in text_of(done)
    assert engine.accounts.get(account_id, "ray").owner == "ray"

    login(client, "ray")
    home = page_of(client.get("/"))
    assert home.xpath("string(//section[contains(@class,'stages-to-confirm')]//a)") == "林主任"
    people = page_of(client.get(f"/accounts/{account_id}")).get_element_by_id("people")
    assert "階段待確認" in people.text_content()
    contact = page_of(client.get(f"/contacts/{lin}"))
    assert contact.xpath("string(//form[@action='/contacts/%s/confirm-stage']//button)" % lin) == "確認為：約會（邀約互動）"
    confirmed = client.post(f"/contacts/{lin}/confirm-stage", data={"stage": "engagement"}, follow_redirects=True)
    assert "關係階段已確認" in text_of(confirmed)
    assert "交接後確認" in text_of(client.get(f"/contacts/{lin}"))
    assert not page_of(client.get("/")).xpath("//section[contains(@class,'stages-to-confirm')]")


def test_a_rep_may_not_hand_over_and_only_the_successor_confirms(client, engine, metro):
    account_id, lin = metro
    login(client, "amy")
    assert not page_of(client.get(f"/accounts/{account_id}")).xpath(f"//a[@href='/accounts/{account_id}/handover']")
    for url in (f"/accounts/{account_id}/handover", "/accounts/owned-by/amy/handover"):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={"successor": "ray"}).status_code == 403, url
    engine.accounts.hand_over(account_id, "bob", {"successor": "ray"})
    login(client, "bob")
    assert client.get(f"/contacts/{lin}/confirm-stage").status_code == 403


def test_a_refused_confirmation_comes_back_with_what_was_typed_and_the_error_at_its_field(client, engine, metro):
    account_id, lin = metro
    engine.accounts.hand_over(account_id, "bob", {"successor": "ray"})
    login(client, "ray")
    lower = client.post(f"/contacts/{lin}/confirm-stage", data={"stage": "acquaintance", "reason": ""})
    assert lower.status_code == 422
    page = page_of(lower)
    assert page.xpath("//input[@name='stage'][@value='acquaintance']/@checked")
    assert page.xpath("//div[@id='error-summary']//a/@href") == ["#field-reason"]
    assert "說明關係為何退步" in text_of(lower)
    rise = page_of(client.post(f"/contacts/{lin}/confirm-stage", data={"stage": "trust", "reason": "前任已升級"}))
    assert rise.xpath("//input[@name='stage'][@value='trust']/@checked")
    assert rise.xpath("string(//textarea[@name='reason'])").strip() == "前任已升級"
    assert rise.xpath("//div[@id='error-summary']//a/@href") == ["#field-stage"]
    assert engine.accounts.contact(lin, "ray").stage_confirm_by == "ray"


def test_an_admin_hands_over_every_account_of_a_leaver_from_the_users_page(client, engine, metro):
    account_id, _lin = metro
    second = engine.accounts.create("amy", {"name": "高雄港務公司", "account_type": "regional"})
    login(client, "zoe")
    user_page = page_of(client.get("/admin/users/amy"))
    assert user_page.xpath("//a[@href='/accounts/owned-by/amy/handover']")
    form = page_of(client.get("/accounts/owned-by/amy/handover"))
    assert sorted(form.xpath("//ul[@class='handover-accounts']//a/text()")) == ["台北捷運公司", "高雄港務公司"]
    blank = client.post("/accounts/owned-by/amy/handover", data={"successor": ""})
    assert blank.status_code == 422
    assert page_of(blank).xpath("//div[@id='error-summary']//a/@href") == ["#field-successor"]
    client.post("/accounts/owned-by/amy/handover", data={"successor": "ray"})
    assert {engine.accounts.get(a, "ray").owner for a in (account_id, second)} == {"ray"}
