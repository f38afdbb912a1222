"""The big report tables a page at a time, on SQLite and PostgreSQL: following the next links
reaches every row of the CSV once and in order, every link keeps the filters, a rep sees only
her own accounts on every page and in the CSV, and the 80/20 chart stays bounded however many
accounts are ranked. Pages of 3 rows here (`REPORT_PAGE_SIZE`), so a handful of accounts make
several pages."""
from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from .conftest import login, make_app

YEAR = date.today().year - 1
SIZE = 3
AMY, RAY = "林雅美 Amy Lin", "陳志明 Ray Chen"


@pytest.fixture
def paged(db_engine, tmp_path):
    """amy owns 23 accounts with revenue last year (one with none), ray 5: 28 accounts in all."""
    for i in range(23):
        db_engine.accounts.create("amy", {"name": f"北區 North {i:02d}", "account_type": "national", "revenues": (
            [{"year": YEAR, "amount": 1000 + 37 * i, "currency": "TWD"}] if i else [])})
    for i in range(5):
        db_engine.accounts.create("ray", {"name": f"南區 South {i:02d}", "account_type": "regional",
                                          "revenues": [{"year": YEAR, "amount": 5000 + i, "currency": "TWD"}]})
    return make_app(db_engine, tmp_path, REPORT_PAGE_SIZE=SIZE).test_client()


def csv_rows(client, url: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get(url).data.decode("utf-8-sig"))))


def walk(client, url: str) -> tuple[list[list[str]], list[str], list[str]]:
    """Every page from `url` on by its next link: the rows, each page's "rows" line, the links."""
    rows, counts, links = [], [], []
    while url:
        page = lxml.html.fromstring(client.get(url).data)
        rows += [[td.text_content().strip() for td in tr.xpath("td")]
                 for tr in page.xpath("//table[contains(@class, 'report-table')]/tbody/tr")]
        counts.append(page.xpath("string((//nav[contains(@class, 'report-pager')])[1]/p)"))
        nxt = page.xpath("(//nav[contains(@class, 'report-pager')])[1]//a[@rel='next']/@href")
        links += page.xpath("(//nav[contains(@class, 'report-pager')])[1]//a/@href")
        url = nxt[0] if nxt else None
    return rows, counts, links


def test_the_portfolios_pages_follow_each_other_without_gaps_or_repeats_and_reach_every_csv_row(paged):
    login(paged, "col")
    rows, counts, links = walk(paged, f"/reports/portfolio?year={YEAR}")
    exported = csv_rows(paged, f"/reports/portfolio.csv?year={YEAR}")[1:]
    assert len(exported) == 28 and rows == exported                  # ten pages of 3, the last of 1
    assert len(counts) == 10 and (counts[0], counts[-1]) == ("第 1–3 筆，共 28 筆", "第 28–28 筆，共 28 筆")
    assert [r[0] for r in rows] == [str(n) for n in range(1, 29)]     # by rank; North 00 (no revenue) last
    assert all(parse_qs(urlsplit(link).query)["year"] == [str(YEAR)] for link in links)
    back = lxml.html.fromstring(paged.get(f"/reports/portfolio?year={YEAR}&page=2").data)
    assert back.xpath("//a[@rel='prev']/@href") == [f"/reports/portfolio?year={YEAR}&page=1"]


def test_every_page_link_keeps_the_filters_and_the_csv_keeps_every_filtered_row(paged):
    login(paged, "col")
    query = f"year={YEAR}&department=north&account_type=national"
    rows, counts, links = walk(paged, f"/reports/portfolio?{query}")
    assert len(rows) == 23 and {r[3] for r in rows} == {AMY} and counts[0].endswith("共 23 筆")
    for link in links:
        kept = parse_qs(urlsplit(link).query)
        assert (kept["year"], kept["department"], kept["account_type"]) == ([str(YEAR)], ["north"], ["national"])
    assert rows == csv_rows(paged, f"/reports/portfolio.csv?{query}&page=3")[1:]   # a page number never cuts the CSV
    # totals and the top 20% over all 23 rows on any page: 22 x 1000 + 37 x (1 + ... + 22) = 31,361; the top
    # ceil(4.6) = 5 accounts make 1814 + 1777 + 1740 + 1703 + 1666 = 8,700, 27.7%
    for number in (1, 5, 8):
        summary = lxml.html.fromstring(paged.get(f"/reports/portfolio?{query}&page={number}").data)
        assert [p.text_content() for p in summary.xpath("//p[@class='summary']")] == [
            f"{YEAR} 年交易額合計：31,361 TWD。", "前 20% 的客戶（5 家）貢獻 27.7% 的交易額。"]


def test_a_rep_sees_only_her_own_accounts_on_every_page_and_in_the_csv(paged):
    login(paged, "amy")
    for report, owner_column in (("portfolio", 3), ("relationships", 1)):
        rows, counts, _links = walk(paged, f"/reports/{report}")
        exported = csv_rows(paged, f"/reports/{report}.csv")[1:]
        assert rows == exported and {r[owner_column] for r in rows} == {AMY}, report
        assert not [r for r in rows if "South" in r[0] + r[1]] and len(counts) == -(-len(rows) // SIZE)
    login(paged, "ray")
    rows, _counts, _links = walk(paged, "/reports/portfolio")
    assert [r[1] for r in rows] == [f"南區 South {i:02d}" for i in (4, 3, 2, 1, 0)]


def test_the_coverage_pages_reach_every_account_once(paged):
    login(paged, "col")
    rows, counts, _links = walk(paged, "/reports/relationships")
    exported = csv_rows(paged, "/reports/relationships.csv")[1:]
    assert rows == exported and len({r[0] for r in rows}) == len(rows) >= 28
    assert counts[0].startswith("第 1–3 筆")


def test_the_portfolio_chart_draws_at_most_twenty_bars_with_the_curve_over_them(paged):
    login(paged, "col")
    paged.post("/language", data={"lang": "en", "next": "/"})
    page = lxml.html.fromstring(paged.get(f"/reports/portfolio?year={YEAR}").data)
    chart = page.xpath("//svg[@class='report-chart']")[0]
    bars = chart.xpath(".//rect[@class='bar']")
    assert len(bars) == 20 and len(chart.xpath(".//circle")) == 20             # 28 ranked accounts in 20 runs
    labels = [t.text_content() for t in chart.xpath(".//text")]
    assert "Accounts by revenue rank" in labels and labels.count("1") == 1 and "3–4" in labels and "27–28" in labels
    assert "Cumulative share" in labels and "Revenue (TWD)" in labels
    assert "28 ranked accounts in 20 groups" in chart.xpath("string(title)")
