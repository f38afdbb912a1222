"""The key-account workspace in a real browser, in Traditional Chinese: an account page with its
people, projects and competitors; a project started from it opens its customer form pre-filled."""
from __future__ import annotations

import pytest

from engine import demo

from .conftest import shot
from .pages import log_in

pytestmark = pytest.mark.e2e


def test_a_rep_opens_an_account_with_its_people_projects_and_competitors_and_starts_a_project(page, live):
    accounts = live.engine.accounts
    account_id = accounts.create("amy", {
        "name": "台北捷運公司", "account_type": "national", "industry": "大眾運輸", "team": ["ray"],
        "revenues": [{"year": 2025, "amount": 3_000_000, "currency": "TWD"}],
        "criteria": {"sales_volume": 5, "technology_absorption": 4, "market_strength": 4, "financial_health": 5}})
    lin = accounts.add_contact(account_id, "amy", {"name": "林主任", "title": "資訊長", "top_executive": True,
                                                   "decision_role": "decision_maker"})
    accounts.add_contact(account_id, "amy", {"name": "陳經理", "title": "採購經理", "decision_role": "influencer",
                                             "reports_to_id": lin})
    accounts.add_competitor(account_id, "amy", {"name": "宏達系統", "customer_satisfaction": 2, "sales_reps": [
        {"name": "李業務", "sales_approach": "低價搶單", "relationship_with_customer": "與採購經理熟識"}]})
    earlier = live.engine.start(demo.PROCESS, "amy", {"project_name": "閘門汰換", "account_id": account_id})

    log_in(page, live.url, "amy")
    page.click("nav.main-nav >> text=客戶")
    page.click("table.account-table >> text=台北捷運公司")
    assert page.locator("h1").inner_text() == "台北捷運公司"
    people = page.locator("#people")
    assert people.locator("table tbody tr").count() == 2
    assert "參與最終決策" in people.inner_text()
    assert people.locator("ul.influence-map > li > ul > li").inner_text().startswith("陳經理")
    assert "李業務" in page.locator("#competitors").inner_text()
    assert page.locator(f"#projects a[href='/projects/{earlier}']").inner_text() == "閘門汰換"
    shot(page, "20-account-page")

    page.click("text=啟動專案")
    assert page.locator("select[name='account_id']").input_value() == account_id
    page.fill("#field-project_name", "票務系統更新")
    page.click("form.start-form button[type='submit']")
    page.wait_for_selector("ul.open-tasks")
    assert page.locator("p.meta a", has_text="台北捷運公司").count() == 1
    page.click("ul.open-tasks >> text=客戶資訊表")
    assert page.input_value("#field-customer-name") == "台北捷運公司"
    assert page.input_value("#field-customer-industry") == "大眾運輸"
    shot(page, "21-customer-form-pre-filled")
    page.goto(f"{live.url}/accounts/{account_id}")
    assert page.locator("#projects table tbody tr").count() == 2
