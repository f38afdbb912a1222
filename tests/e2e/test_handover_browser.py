"""A leaver's account in a real browser, in Traditional Chinese: the manager hands it to a
successor, who finds the person on the home page and confirms the inherited stage."""
from __future__ import annotations

import pytest

from .conftest import shot
from .pages import log_in, log_out

pytestmark = pytest.mark.e2e


def test_a_manager_hands_an_account_over_and_the_successor_confirms_the_inherited_stage(page, live):
    accounts = live.engine.accounts
    account_id = accounts.create("amy", {"name": "台北捷運公司", "account_type": "national"})
    lin = accounts.add_contact(account_id, "amy", {"name": "林主任", "decision_role": "decision_maker"})
    live.engine.ledger.record_activity(lin, "amy", {"kind": "business_meal", "occurred_on": "2026-01-05"})

    log_in(page, live.url, "bob")
    page.goto(f"{live.url}/accounts/{account_id}")
    page.click(".head-actions >> text=交接")
    page.select_option("#field-successor", "ray")
    page.click("form.stacked-form button[type='submit']")
    page.wait_for_selector(".flashes")
    assert "已將 1 個客戶交接給 陳志明 Ray Chen" in page.locator(".flashes").inner_text()
    log_out(page)

    log_in(page, live.url, "ray")
    page.click(".stages-to-confirm >> text=林主任")
    assert "階段待確認" in page.locator(".stage-to-confirm").inner_text()
    shot(page, "40-stage-to-confirm")
    page.click(".stage-to-confirm button[type='submit']")
    page.wait_for_selector(".flashes")
    assert page.locator(".stage-to-confirm").count() == 0
    assert "交接後確認" in page.locator("#stage-heading + p + ol").inner_text()
