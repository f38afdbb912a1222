"""The report pages with the demo data: each draws its chart and table, the CSV holds exactly
the table's rows, a rep sees no other department's rows, and a bad filter is named on the page."""
from __future__ import annotations

import csv
import io
from datetime import date

import lxml.html
import pytest

from engine import demo
from engine.demo_showcase import create_showcase

from .conftest import login

LAST_YEAR = date.today().year - 1
NORTH = ["北區大客戶", "台北捷運公司", "環宇航運集團", "亞太半導體", "中興精密機械", "大安綜合醫院"]   # amy's accounts
REPORTS = ["portfolio", "pipeline", "cycle-time", "returns", "overdue", "relationships"]


@pytest.fixture
def demo_data(engine):
    """The demo's showcase (accounts in every state, people, activities, projects, rates) and two
    accounts with known revenue last year, one in each department."""
    demo.create_compliance(engine)
    create_showcase(engine)
    engine.accounts.create("amy", {"name": "北區大客戶 North key", "account_type": "global",
                                   "revenues": [{"year": LAST_YEAR, "amount": 900_000_000, "currency": "TWD"}]})
    engine.accounts.create("ray", {"name": "南區大客戶 South key", "account_type": "national",
                                   "revenues": [{"year": LAST_YEAR, "amount": 800_000_000, "currency": "TWD"}]})
    return engine


def table_rows(html: bytes) -> list[list[str]]:
    page = lxml.html.fromstring(html)
    head = [th.text_content().strip() for th in page.xpath("//table[contains(@class, 'report-table')]/thead//th")]
    body = [[td.text_content().strip() for td in tr.xpath("td")] for tr in page.xpath("//table[contains(@class, 'report-table')]/tbody/tr")]
    return [head, *body]


def csv_rows(data: bytes) -> list[list[str]]:
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))]


@pytest.mark.parametrize("report", REPORTS)
def test_each_report_draws_its_chart_and_its_csv_holds_the_tables_rows(demo_data, client, report):
    login(client, "bob")
    page = client.get(f"/reports/{report}")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.data)
    assert tree.xpath("//svg[@class='report-chart']/title") and tree.xpath(f"//a[starts-with(@href, '/reports/{report}.csv')]")
    download = client.get(f"/reports/{report}.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert csv_rows(download.data) == table_rows(page.data)


def more_tables(html: bytes) -> list[list[list[str]]]:
    page = lxml.html.fromstring(html)
    return [[[c.text_content().strip() for c in tr.xpath("th|td")] for tr in table.xpath(".//tr")]
            for table in page.xpath("//table[contains(@class, 'report-more')]")]


def test_each_further_table_of_a_report_downloads_as_its_own_csv(demo_data, client):
    login(client, "col")
    page = client.get("/reports/returns")
    tables = more_tables(page.data)
    assert len(tables) >= 2 and tables[0][0][0] == "部門"            # returns by department first
    for part, shown in enumerate(tables, start=1):
        assert csv_rows(client.get(f"/reports/returns.csv?part={part}").data) == shown
    returned = {row[0]: row[2] for row in tables[0][1:]}
    assert returned["south"] == "1" and returned.get("north", "0") == "0"     # the demo's one return is south's
    assert client.get(f"/reports/returns.csv?part={len(tables) + 1}").status_code == 404


def test_each_tables_pager_is_named_after_its_table_for_screen_readers(demo_data, client):
    login(client, "col")
    page = lxml.html.fromstring(client.get("/reports/relationships").data)
    named = page.xpath("//nav[contains(@class, 'report-pager')]/@aria-label")
    tables = [page.xpath("string(//h1)"), *page.xpath("//h2[starts-with(@id, 'part-')]/text()")]
    assert len(named) == len(tables) >= 2
    assert named == [f"「{t.strip()}」的分頁" for t in tables]


def test_the_committees_votes_show_by_rule_and_outcome_and_a_rep_sees_only_her_departments(demo_data, client):
    login(client, "col")
    client.post("/language", data={"lang": "en", "next": "/"})
    page = client.get("/reports/returns")
    heading = lxml.html.fromstring(page.data).xpath("//section[.//h2[text()='Committee votes by rule and outcome']]")
    assert heading and heading[0].xpath(".//svg[@class='report-chart']")
    votes = {tuple(row[:3]) for row in more_tables(page.data)[2][1:]}
    assert votes == {("Two-thirds majority", "Approved", "1"), ("Unanimous", "Votes still open", "1"),
                     ("Simple majority", "Declined", "1")}          # the metro, the shipping line, the food maker
    assert [tuple(r[:2]) for r in csv_rows(client.get("/reports/returns.csv?part=3").data)] == \
        [tuple(r[:2]) for r in more_tables(page.data)[2]]
    for user, theirs, others in (("ray", {"Simple majority"}, {"Two-thirds majority", "Unanimous"}),
                                 ("bob", {"Two-thirds majority", "Unanimous"}, {"Simple majority"})):
        login(client, user)
        client.post("/language", data={"lang": "en", "next": "/"})
        tables = more_tables(client.get("/reports/returns").data)
        assert {row[0] for row in tables[2][1:]} == theirs
        assert {row[0] for row in csv_rows(client.get("/reports/returns.csv?part=3").data)[1:]} == theirs
        assert {row[0] for row in tables[0][1:]} <= {"south" if user == "ray" else "north"}
        for part in (1, 2, 3):
            assert not others & {row[0] for row in csv_rows(client.get(f"/reports/returns.csv?part={part}").data)}


def test_the_portfolio_names_revenue_and_criteria_apart_and_draws_a_bar_per_account(demo_data, client):
    login(client, "col")
    client.post("/language", data={"lang": "en", "next": "/"})
    page = client.get(f"/reports/portfolio?year={LAST_YEAR}")
    text = page.data.decode()
    assert "Tier in this view (by revenue)" in text and "Company tier" in text
    assert "Qualification score (by criteria)" in text
    assert "the first 80% of the year’s revenue, tier B the next 15%" in text
    rows = table_rows(page.data)[1:]
    assert rows[0][:2] == ["1", "北區大客戶 North key"] and rows[0][8] == rows[0][9] == "A"
    assert len(lxml.html.fromstring(page.data).xpath("//svg//rect[@class='bar']")) == len(rows)


def test_a_rep_sees_no_other_departments_rows_on_any_page_or_csv(demo_data, client):
    login(client, "ray")
    for report in REPORTS:
        for url in (f"/reports/{report}", f"/reports/{report}.csv"):
            body = client.get(url).data.decode("utf-8-sig")
            assert not [name for name in NORTH if name in body], url
    rows = csv_rows(client.get("/reports/portfolio.csv").data)[1:]
    assert rows[0][1] == "南區大客戶 South key" and {r[3] for r in rows} == {"陳志明 Ray Chen"}
    running = [i for i in demo_data.instances(owner="ray") if i["process_id"] == demo.PROCESS and i["status"] == "running"]
    waiting = sum(len({t.bpmn_id for t in demo_data.instance(i["id"]).tasks}) or 1 for i in running)   # per step
    assert sum(int(r[2]) for r in csv_rows(client.get("/reports/pipeline.csv").data)[1:]) == waiting > 0
    returns = lambda: sum(int(r[2]) for r in csv_rows(client.get("/reports/returns.csv").data)[1:])  # noqa: E731
    assert returns() == 1                     # the demo's one return is of ray's project
    login(client, "bob")
    assert returns() == 0


def test_a_bad_filter_comes_back_on_the_page_with_its_field_named_and_the_value_kept(demo_data, client):
    login(client, "bob")
    page = client.get("/reports/pipeline?since=2026-02-30&account_type=galactic")
    assert page.status_code == 422
    tree = lxml.html.fromstring(page.data)
    assert tree.get_element_by_id("filter-since--error") is not None and tree.get_element_by_id("filter-account_type--error") is not None
    assert tree.get_element_by_id("filter-since").get("value") == "2026-02-30"
    assert client.get("/reports/pipeline.csv?account_type=galactic").status_code == 422


def test_the_navigation_links_to_the_reports(demo_data, client):
    login(client, "amy")
    assert b'href="/reports/"' in client.get("/").data
    assert client.get("/reports/").status_code == 200 and client.get("/reports/nothing").status_code == 404


def test_the_chart_escapes_every_label_and_draws_a_bar_per_value():
    from webui.reports import svg
    drawn = str(svg.render(svg.Chart("<b>title</b>", ["<script>x</script>", "B"], [3, 0], "軸 & axis", [0.5, 1], "%")))
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn and "軸 &amp; axis" in drawn
    assert drawn.count('class="bar"') == 2 and drawn.count("<polyline") == 1
