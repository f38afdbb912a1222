"""The reports in a real browser, in Traditional Chinese: a manager opens every report from the
navigation, each draws its chart, each table's first page holds the first rows of its CSV
download, and paging through the portfolio's table (pages of 4 here) reaches every CSV row;
the 80/20 chart draws a bounded number of bars however many accounts are ranked."""
from __future__ import annotations

import csv
import io

import pytest

from engine import demo
from engine.demo_showcase import create_showcase

from .conftest import shot
from .pages import log_in

pytestmark = pytest.mark.e2e

TITLES = ["80/20 客戶組合", "專案進度總覽", "作業時間", "退回率與一次通過率", "逾期待辦", "客戶關係覆蓋"]
PAGE_SIZE = 4
MAX_BARS = 20


def shown_rows(page) -> list[list[str]]:
    return [[c.strip() for c in row] for row in page.locator("table.report-table tr").evaluate_all(
        "rows => rows.map(r => [...r.children].map(c => c.innerText))")]


def follow(page, link) -> None:
    """Click a link (a selector or a locator) and wait for the page it opens: a click returns once
    the next page starts loading, and what is read at once may still be the last page's."""
    locator = page.locator(link) if isinstance(link, str) else link
    with page.expect_navigation():
        locator.click()


def test_a_manager_opens_every_report_sees_its_chart_and_pages_through_the_downloaded_rows(page, live):
    eng = live.engine
    demo.create_compliance(eng)
    create_showcase(eng)
    live.app.config["REPORT_PAGE_SIZE"] = PAGE_SIZE

    log_in(page, live.url, "bob")
    follow(page, "nav.main-nav >> text=報表")
    for title in TITLES:
        follow(page, f"ul.report-list >> text={title}")
        assert page.locator("h1").inner_text() == title
        chart = page.locator("figure.report-figure svg.report-chart").first
        assert chart.bounding_box()["width"] > 300 and chart.locator("line").count() >= 2
        shown = shown_rows(page)
        with page.expect_download() as caught:
            page.click("text=下載 CSV")
        with open(caught.value.path(), encoding="utf-8-sig") as f:
            downloaded = [[c.strip() for c in row] for row in csv.reader(io.StringIO(f.read()))]
        assert len(shown) <= PAGE_SIZE + 1 and downloaded[:len(shown)] == shown, title
        if title == TITLES[0]:
            assert len(downloaded) - 1 > PAGE_SIZE             # several pages: walk them by the next link
            assert page.locator("svg.report-chart rect.bar").count() <= MAX_BARS
            shot(page, "40-report-portfolio")
            rows = shown[1:]
            while page.locator("nav.report-pager a[rel=next]").count():
                follow(page, page.locator("nav.report-pager a[rel=next]").first)
                rows += shown_rows(page)[1:]
            assert rows == downloaded[1:]
            assert page.locator("nav.report-pager p.page-rows").first.inner_text().endswith(
                f"共 {len(downloaded) - 1} 筆")
        follow(page, "p.breadcrumb >> text=報表")
