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
    return sorted(p for p in parts if re.search(rf"(?<![\w$.]){re.escape(p)}(?![\w])", text)) + \
        (["$."] if "$." in text else [])


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


WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _main_pages(live) -> list[tuple[str, str, str]]:
    """(user, page name, path) for each main page, with demo work at every step."""
    demo.create_projects(live.engine)
    review = live.task_id(demo.to_manager_review(live.engine, "amy", "遠東百貨會員系統"), "manager_review")
    returned = demo.to_manager_review(live.engine, "amy", "中華電信客服平台")
    demo.complete_open(live.engine, returned, "manager_review", "return")
    started = live.engine.start(demo.PROCESS, "amy", {"project_name": "統一超商物流"})
    account = live.engine.instance(returned).account_id
    pages = [("amy", "inbox", "/"), ("amy", "projects", "/projects/"), ("amy", "project", f"/projects/{returned}"),
             ("amy", "customer-form", f"/tasks/{live.task_id(started, 'customer_info')}"),
             ("amy", "returned-proposal", f"/tasks/{live.task_id(returned, 'proposal')}"),
             ("amy", "accounts", "/accounts/"), ("bob", "manager-inbox", "/"), ("bob", "review", f"/tasks/{review}")]
    if account:
        pages.append(("amy", "account", f"/accounts/{account}"))
    return pages


def test_every_main_page_in_chinese_at_desktop_and_phone_width_shows_no_field_ids(browser, live):
    """Screenshots of each main page at 1280 and 390 px go to tests/e2e/output/pages (looked at by eye)."""
    pages = _main_pages(live)
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="zh-TW", timezone_id="Asia/Taipei",
                                      is_mobile=width == "phone", has_touch=width == "phone")
        tab = context.new_page()
        try:
            user = None
            for who, name, path in pages:
                if who != user:
                    if user:
                        tab.context.clear_cookies()
                    log_in(tab, live.url, who)
                    user = who
                response = tab.goto(f"{live.url}{path}")
                assert response.status == 200, (name, response.status)
                assert visible_ids(tab) == [], (name, visible_ids(tab))
                if width == "phone":
                    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
                if name == "project":        # the diagram on a wide screen, the list of steps on a phone
                    assert tab.is_visible("ol.step-list") == (width == "phone")
                    assert tab.is_visible("figure.diagram") == (width != "phone")
                shot(tab, f"pages/{name}-{viewport['width']}")
        finally:
            context.close()


def test_the_diagram_zooms_fits_and_pans(page, live):
    iid = demo.to_manager_review(live.engine, "amy", "遠東百貨會員系統")
    log_in(page, live.url, "amy")
    page.goto(f"{live.url}/projects/{iid}")
    width = lambda: page.evaluate("document.querySelector('figure.diagram svg').getBoundingClientRect().width")
    fitted = width()
    figure = page.evaluate("document.querySelector('figure.diagram').clientWidth")
    assert abs(fitted - (figure - 16)) < 2 or fitted >= figure - 16
    page.click("button[data-zoom='in']")
    assert width() > fitted * 1.2
    page.focus("figure.diagram")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.querySelector('figure.diagram').scrollLeft") > 0
    page.keyboard.press("0")
    assert abs(width() - (figure - 16)) < 2
    page.keyboard.press("-")
    assert width() < figure - 16
