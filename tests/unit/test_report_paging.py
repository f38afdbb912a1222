"""A report table's pages and the 80/20 chart's groups, against hand-computed fixtures: the
windows cover every row once, a bad or too-large page number is kept in range, rows are
formatted only when a page reads them, and the chart's runs of ranks are bounded and exact."""
from __future__ import annotations

from webui.reports.paging import Rows, Window, page_key, window
from webui.reports.pareto_chart import groups


def test_the_pages_of_a_table_cover_every_row_once_in_order():
    rows = list(range(1, 251))                      # 250 rows, 100 a page: 1-100, 101-200, 201-250
    seen = []
    for number in (1, 2, 3):
        w = window({"page": str(number)}, 0, len(rows), 100)
        seen += w.rows(rows)
        assert (w.first, w.stop, w.pages) == ((number - 1) * 100 + 1, min(number * 100, 250), 3)
    assert seen == rows
    assert (window({"page": "1"}, 0, 250, 100).previous, window({"page": "1"}, 0, 250, 100).next) == (None, 2)
    assert (window({"page": "3"}, 0, 250, 100).previous, window({"page": "3"}, 0, 250, 100).next) == (2, None)


def test_a_missing_bad_or_too_large_page_number_stays_within_the_table():
    assert window({}, 0, 250, 100).number == 1
    for bad in ("0", "-2", "two", "1e3", "99999999999999999999"):
        assert window({"page": bad}, 0, 250, 100).number == 1, bad
    assert window({"page": "7"}, 0, 250, 100).number == 3
    empty = window({"page": "4"}, 0, 0, 100)
    assert (empty.number, empty.pages, empty.first, empty.stop, empty.rows([])) == (1, 1, 0, 0, [])


def test_each_table_of_a_report_reads_its_own_page_number():
    assert [page_key(part) for part in (0, 1, 2)] == ["page", "page-2", "page-3"]
    args = {"page": "2", "page-3": "4"}
    assert [window(args, part, 1000, 10).number for part in (0, 1, 2)] == [2, 1, 4]
    assert window(args, 2, 1000, 10) == Window("page-3", 4, 10, 1000)


def test_rows_are_formatted_only_when_a_page_reads_them():
    formatted = []
    rows = Rows(list(range(10)), lambda n: formatted.append(n) or [str(n)])
    assert len(rows) == 10 and formatted == []
    assert rows[3:5] == [["3"], ["4"]] and formatted == [3, 4]
    assert list(rows) == [[str(n)] for n in range(10)]              # the CSV: every row


def test_the_chart_groups_consecutive_ranks_into_at_most_twenty_runs_with_the_curve_at_each_runs_end():
    # 45 accounts, revenue 45, 44, ... 1 (total 1035): runs of 2 or 3 ranks (45 = 20 runs: 15 of 2, 5 of 3)
    revenues = [float(45 - i) for i in range(45)]
    cumulative = [sum(revenues[:i + 1]) / 1035 for i in range(45)]
    found = groups(revenues, cumulative)
    assert len(found) == 20 and found[0].first == 1 and found[-1].last == 45
    assert all(b.first == a.last + 1 for a, b in zip(found, found[1:]))           # no gap, no overlap
    assert sorted({g.last - g.first + 1 for g in found}) == [2, 3]
    assert (found[0].first, found[0].last, found[0].revenue) == (1, 2, 89.0)       # 45 + 44
    assert (found[1].first, found[1].last, found[1].revenue) == (3, 4, 85.0)       # 43 + 42
    assert found[0].cumulative == 89 / 1035 and found[-1].cumulative == 1.0
    assert sum(g.revenue for g in found) == 1035


def test_the_chart_keeps_a_bar_per_account_up_to_twenty_and_twenty_bars_at_ten_thousand():
    few = groups([5.0, 3.0, 2.0], [0.5, 0.8, 1.0])
    assert [(g.first, g.last, g.revenue, g.cumulative) for g in few] == [
        (1, 1, 5.0, 0.5), (2, 2, 3.0, 0.8), (3, 3, 2.0, 1.0)]
    many = groups([1.0] * 10_000, [(i + 1) / 10_000 for i in range(10_000)])
    assert len(many) == 20 and all(g.last - g.first + 1 == 500 for g in many)
    assert [g.cumulative for g in many[:4]] == [0.05, 0.1, 0.15, 0.2]
    assert groups([], []) == []
