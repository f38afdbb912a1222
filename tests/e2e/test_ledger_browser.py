"""The relationship ledger in a real browser, in Traditional Chinese: a rep records an activity
with a decision maker and watches the relationship stage rise on the contact page."""
from __future__ import annotations

import pytest

from .conftest import shot
from .pages import log_in

pytestmark = pytest.mark.e2e


def test_a_rep_records_a_business_meal_and_the_decision_maker_s_stage_rises_to_engagement(page, live):
    accounts = live.engine.accounts
    account_id = accounts.create("amy", {"name": "台北捷運公司", "account_type": "national"})
    lin = accounts.add_contact(account_id, "amy", {"name": "林主任", "title": "資訊長",
                                                   "decision_role": "decision_maker"})
    live.engine.ledger.record_activity(lin, "amy", {"kind": "phone_contact", "occurred_on": "2026-01-05"})

    log_in(page, live.url, "amy")
    page.goto(f"{live.url}/accounts/{account_id}")
    page.click("#people >> text=林主任")
    assert page.locator("p.stage-now").inner_text() == "認識"
    page.click("#ledger >> text=記錄互動")
    page.select_option("#field-kind", "business_meal")
    page.fill("#field-notes", "與林主任午餐，談票務系統汰換時程")
    page.click("form.stacked-form button[type='submit']")
    page.wait_for_selector("#ledger")
    assert page.locator("p.stage-now").inner_text() == "約會（邀約互動）"
    history = page.locator("#stage-heading + p + ol").inner_text()
    assert "認識 → 約會（邀約互動）" in history and "因記錄互動而提升" in history
    activities = page.locator("#ledger ol.activities").inner_text()
    assert "商務餐敘或活動" in activities and "與林主任午餐" in activities
    shot(page, "30-contact-stage-rose")
