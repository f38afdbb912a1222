"""Issue 9's done criterion in a real browser, in Traditional Chinese, with the demo data
(`kamflow init --demo`): the sales director (dan, manager of hq; bob and sue report to him) answers
from the pages alone which 20% of accounts make 80% of revenue, where projects are stuck, why they
are returned (by reason and department), which decision makers we have not yet won, and how the
committee voted under each rule; a rep (ray, south) sees none of north's rows in the new tables
and their CSV downloads."""
from __future__ import annotations

import csv
import io

import pytest

from engine import demo
from engine.demo_showcase import create_showcase

from .conftest import shot
from .pages import log_in, log_out

pytestmark = pytest.mark.e2e

ROWS = "rows => rows.map(r => [...r.children].map(c => c.innerText.trim()))"


def table(page, selector: str) -> list[list[str]]:
    return page.locator(f"{selector} tbody tr").evaluate_all(ROWS)


def follow(page, link: str) -> None:
    """Click a link and wait for the page it opens: a click returns once the next page starts
    loading, and rows read at once came from no page at all (an empty table) or the last one."""
    with page.expect_navigation():
        page.click(link)


def open_report(page, title: str) -> None:
    """From any page: the reports list, then the report named `title`."""
    follow(page, "nav.main-nav >> text=報表")
    follow(page, f"ul.report-list >> text={title}")


def part(page, heading: str):
    return page.locator("section.report-part").filter(has=page.locator("h2", has_text=heading))


def download(page, link) -> list[list[str]]:
    with page.expect_download() as caught:
        link.click()
    with open(caught.value.path(), encoding="utf-8-sig") as f:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(f.read()))][1:]


def test_a_director_answers_the_80_20_stuck_returned_unwon_and_votes_questions_from_the_pages(page, live):
    eng = live.engine
    demo.create_compliance(eng)
    create_showcase(eng)
    log_in(page, live.url, "dan")

    pipeline = table(page, "table.department-pipeline")                    # home: the department's pipeline
    assert page.locator("h2#motion-heading").inner_text() == "本部門專案進度"
    at = {row[0]: row for row in pipeline}
    assert at["大客戶管理組表決"][1:3] == ["1", "13,230,000"]                      # 420,000 USD at the demo's rate
    assert at["專案資訊表"][2:] == ["—", "1"]                                    # no budget answered yet
    shot(page, "43-director-home")

    open_report(page, "80/20 客戶組合")    # which 20% make 80%?
    summary = page.locator("p.summary").all_inner_texts()
    assert any(line.startswith("前 20% 的客戶（2 家）貢獻 78.1%") for line in summary)
    ranked = table(page, "table.report-table")
    assert [r[1] for r in ranked[:2]] == ["海峽電信", "環宇航運集團"] and {r[8] for r in ranked[:3]} == {"A"}
    shot(page, "41-director-portfolio")

    open_report(page, "專案進度總覽")     # where are projects?
    steps = {row[0] for row in table(page, "table.report-table")}
    assert {"大客戶管理組表決", "部門經理審核", "專案建議書"} <= steps
    open_report(page, "作業時間")       # where do they wait longest?
    assert page.locator("svg.report-chart title").first.text_content() == "各步驟作業時間中位數（小時）"
    assert table(page, "table.report-table")[-1][0] == "全流程"

    open_report(page, "退回率與一次通過率")  # why are they returned?
    departments = {row[0]: row for row in table(page, "section.report-part:first-of-type table")}
    assert departments["south"][2] == "1" and "資訊不完整" in departments["south"][5]
    assert departments["north"][2] == "0"
    votes = part(page, "委員會表決：依表決規則與結果")
    assert votes.locator("svg.report-chart").count() == 1
    rows = {tuple(r[:3]) for r in table(page, "section.report-part:has(h2:text('委員會表決：依表決規則與結果')) table")}
    assert rows == {("三分之二多數決", "已通過", "1"), ("全體一致", "表決尚未完成", "1"), ("簡單多數決", "已否決", "1")}
    assert {tuple(r[:3]) for r in download(page, votes.locator("a[download]"))} == rows
    shot(page, "42-director-votes")

    open_report(page, "客戶關係覆蓋")     # which decision makers not yet won?
    unwon = {row[0]: row[-3] for row in table(page, "table.report-table")}
    assert unwon["永豐食品工業"] == "何總經理"

    log_out(page)
    log_in(page, live.url, "ray")                                              # a south rep
    page.goto(f"{live.url}/reports/returns")
    assert {row[0] for row in table(page, "section.report-part:first-of-type table")} == {"south"}
    ray_votes = part(page, "委員會表決：依表決規則與結果")
    assert [r[:2] for r in table(page, "section.report-part:has(h2:text('委員會表決：依表決規則與結果')) table")] == \
        [["簡單多數決", "已否決"]]
    assert [r[:2] for r in download(page, ray_votes.locator("a[download]"))] == [["簡單多數決", "已否決"]]
    assert {r[0] for r in download(page, part(page, "各部門退回情形").locator("a[download]"))} == {"south"}
    page.goto(f"{live.url}/")
    assert page.locator("table.department-pipeline").count() == 0
    assert page.locator("ul.projects-by-step li").all_inner_texts() == ["專案建議書 1"]
