"""The reports in a real browser, in Traditional Chinese: a manager opens every report from the
navigation, each draws its chart, and each CSV download holds the rows the table shows."""
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


def test_a_manager_opens_every_report_sees_its_chart_and_downloads_the_same_rows(page, live):
    eng = live.engine
    demo.create_compliance(eng)
    create_showcase(eng)

    log_in(page, live.url, "bob")
    page.click("nav.main-nav >> text=報表")
    for title in TITLES:
        page.click(f"ul.report-list >> text={title}")
        assert page.locator("h1").inner_text() == title
        chart = page.locator("figure.report-figure svg.report-chart").first
        assert chart.bounding_box()["width"] > 300 and chart.locator("line").count() >= 2
        shown = [[c.strip() for c in row] for row in page.locator("table.report-table tr").evaluate_all(
            "rows => rows.map(r => [...r.children].map(c => c.innerText))")]
        with page.expect_download() as caught:
            page.click("text=下載 CSV")
        with open(caught.value.path(), encoding="utf-8-sig") as f:
            downloaded = [[c.strip() for c in row] for row in csv.reader(io.StringIO(f.read()))]
        assert downloaded == shown, title
        if title == TITLES[0]:
            assert page.locator("svg.report-chart rect.bar").count() == len(shown) - 1
            shot(page, "40-report-portfolio")
        page.click("p.breadcrumb >> text=報表")
