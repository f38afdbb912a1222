"""A rep's walk in zh-Hant, in a real browser: every validation message she meets is Chinese,
and no field id, JSON path or internal key is shown on any page she reaches."""
from __future__ import annotations

import re

import pytest

from engine import demo

from .conftest import shot
from .pages import log_in, submit

pytestmark = pytest.mark.e2e
LATIN = re.compile("[A-Za-z]")


def visible_ids(page) -> list[str]:
    """Field names and their last parts (`sales_volume`) that appear in the page's visible text."""
    text = page.locator("main").inner_text()
    names = page.eval_on_selector_all("main [name]", "els => els.map(e => e.name)")
    parts = {part for name in names for part in name.split(".") if not part.isdigit()}
    return sorted(p for p in parts | {"$."} if p in text)


def validation_text(page) -> list[str]:
    return page.locator("#error-summary li, .field-error").all_inner_texts()


def assert_chinese_errors(page) -> None:
    messages = validation_text(page)
    assert messages, page.content()[:2000]
    assert not [m for m in messages if LATIN.search(m)], messages
    assert visible_ids(page) == [], visible_ids(page)


def test_a_reps_validation_errors_are_chinese_and_name_no_field_ids(page, live):
    log_in(page, live.url, "amy")
    page.click("text=啟動新專案")
    page.click("form.stacked-form button[type='submit']")          # no name
    assert_chinese_errors(page)
    assert "專案名稱：為必填" in validation_text(page)

    iid = live.engine.start(demo.PROCESS, "amy", {"project_name": "長榮物流車隊管理"})
    page.goto(f"{live.url}/tasks/{live.task_id(iid, 'customer_info')}")
    page.fill("#field-customer-name", "長榮物流")
    page.check("#field-customer-criteria-market_strength--4")
    submit(page)
    assert_chinese_errors(page)
    assert "銷售額或銷售潛力：為必填" in validation_text(page)
    assert page.is_checked("#field-customer-criteria-market_strength--4")       # kept as chosen
    shot(page, "zh-validation-customer")

    page.goto(f"{live.url}/tasks/{live.task_id(iid, 'project_info')}")
    page.fill("#field-project-budget_amount", "-100")
    submit(page)
    assert_chinese_errors(page)
    assert "採購預算：請填 0 以上的數字" in validation_text(page)
    page.fill("#field-project-budget_amount", "五百萬")
    submit(page)
    assert "採購預算：請輸入數字" in validation_text(page)
    assert page.input_value("#field-project-budget_amount") == "五百萬"
    page.fill("#field-project-budget_amount", "NT$500萬")
    page.select_option("#field-project-budget_currency", "USD")
    assert page.inner_text("[data-currency-of='field-project-budget_currency']") == "USD"
    submit(page)
    assert not [m for m in validation_text(page) if "採購預算" in m]
    assert page.input_value("#field-project-budget_amount") == "5000000"
