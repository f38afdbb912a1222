"""The reports' maths against hand-computed fixtures: Pareto ranking and tiers, median and the
nearest-rank 90th percentile, step and end-to-end durations with a return and a withdrawal."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from engine.errors import ValidationFailed
from engine.reports import filters, pareto, stats
from engine.reports.durations import Activation, end_to_end, step_times

D = Decimal


def test_pareto_ranks_by_revenue_with_cumulative_share_and_tiers():
    # total 1000: a 500 (starts at 0%) A, b 300 (50%) A, c 100 (80%) B, d 60 (90%) B, e 40 (96%) C, f 0 C
    ranking = pareto.rank([("c", D(100)), ("a", D(500)), ("f", D(0)), ("e", D(40)), ("b", D(300)), ("d", D(60))])
    assert [(r.key, r.rank, r.tier) for r in ranking.rows] == [
        ("a", 1, "A"), ("b", 2, "A"), ("c", 3, "B"), ("d", 4, "B"), ("e", 5, "C"), ("f", 6, "C")]
    assert [r.cumulative for r in ranking.rows] == [D("0.5"), D("0.8"), D("0.9"), D("0.96"), D(1), D(1)]
    assert ranking.rows[1].share == D("0.3") and ranking.total == D(1000)


def test_the_top_20_percent_of_accounts_is_rounded_up_and_its_share_reported():
    ranking = pareto.rank([("a", D(500)), ("b", D(300)), ("c", D(100)), ("d", D(60)), ("e", D(40)), ("f", D(0))])
    assert ranking.top_count == 2 and ranking.top_share == D("0.8")      # ceil(0.2 * 6) = 2 accounts


def test_an_account_without_a_rate_is_kept_apart_unranked_and_out_of_the_total():
    ranking = pareto.rank([("a", D(100)), ("x", None), ("b", D(100))])
    assert [(r.key, r.rank, r.tier) for r in ranking.rows] == [("a", 1, "A"), ("b", 2, "A"), ("x", None, None)]
    assert ranking.total == D(200) and ranking.top_count == 1 and ranking.top_share == D("0.5")


def test_no_revenue_at_all_ranks_everyone_c_with_no_top_share():
    ranking = pareto.rank([("a", D(0)), ("b", D(0))])
    assert [r.tier for r in ranking.rows] == ["C", "C"] and ranking.top_share is None


def test_median_takes_the_middle_or_the_mean_of_the_two_middles():
    assert stats.median([5, 1, 3]) == 3 and stats.median([4, 1, 3, 2]) == 2.5 and stats.median([]) is None


def test_the_90th_percentile_is_the_nearest_rank_value():
    values = list(range(1, 11))                      # ceil(0.9 * 10) = 9th value
    assert stats.percentile(values, 90) == 9
    assert stats.percentile(list(range(1, 12)), 90) == 10     # ceil(9.9) = 10th of 11
    assert stats.percentile([7], 90) == 7 and stats.percentile([], 90) is None
    with pytest.raises(ValueError):
        stats.percentile(values, 0)


T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def act(instance, step, opened, closed, state="completed"):
    return Activation(instance, step, step.title(), at(opened), at(closed) if closed is not None else None, state)


# p1: proposal 2h, review returns it after 1h, proposal again 3h, review approves after 2h -> end to end 9h
# p2: proposal 4h, review approves after 6h -> end to end 10h
# p3: proposal 1h, then withdrawn while in review (cancelled) -> no end-to-end time
# p4: proposal open
# p5: proposal 5h, review open, an admin rewinds it (rewound), proposal again open
FIXTURE = [
    act("p1", "proposal", 0, 2), act("p1", "review", 2, 3), act("p1", "proposal", 3, 6), act("p1", "review", 6, 9),
    act("p2", "proposal", 0, 4), act("p2", "review", 4, 10),
    act("p3", "proposal", 0, 1), act("p3", "review", 1, 8, "cancelled"),
    act("p4", "proposal", 0, None, "open"),
    act("p5", "proposal", 0, 5), act("p5", "review", 5, 7, "rewound"), act("p5", "proposal", 7, None, "open"),
]


def test_step_times_measure_completed_activations_and_count_returns():
    steps = {s.step: s for s in step_times(FIXTURE)}
    proposal, review = steps["proposal"], steps["review"]
    assert proposal.time == stats.Spread(5, 3 * 3600, 5 * 3600)      # 2, 3, 4, 1 and 5 hours
    assert (proposal.activations, proposal.returns, proposal.open) == (7, 2, 2)   # p1 again, p5 again
    assert review.time == stats.Spread(3, 3 * 3600, 6 * 3600)           # 1, 3, 6 hours
    assert (review.activations, review.returns, review.cancelled, review.rewound) == (5, 1, 1, 1)


def test_end_to_end_counts_finished_projects_only_never_a_withdrawn_one():
    assert end_to_end(FIXTURE) == {"p1": 9 * 3600, "p2": 10 * 3600}


def test_parallel_votes_of_one_round_are_not_returns():
    votes = [act("p", "vote", 0, 1), act("p", "vote", 0, 2), act("p", "vote", 0, 3)]
    assert step_times(votes)[0].returns == 0


def test_filters_refuse_bad_values_naming_each_field():
    with pytest.raises(ValidationFailed) as caught:
        filters.parse({"since": "2026-13-01", "account_type": "galactic", "year": "20x6", "rep": "a\x00b"})
    assert {e.path for e in caught.value.errors} == {"$.since", "$.account_type", "$.year", "$.rep"}
    with pytest.raises(ValidationFailed) as caught:
        filters.parse({"since": "2026-02-01", "until": "2026-01-01"})
    assert [e.path for e in caught.value.errors] == ["$.until"]


def test_filters_read_a_query_string_and_write_it_back():
    chosen = filters.parse({"since": " 2026-01-01 ", "until": "2026-01-31", "account_type": "global", "year": "2025",
                            "department": "", "other": "x"})
    assert chosen.as_query() == {"since": "2026-01-01", "until": "2026-01-31", "account_type": "global", "year": "2025"}
    assert chosen.ends == datetime(2026, 2, 1, tzinfo=timezone.utc)


def test_the_account_lists_tiers_and_the_pareto_ranking_give_every_account_the_same_tier():
    from engine.workspace.rules import Revenue, tiers
    amounts = {"a": D(500), "b": D(300), "c": D(100), "d": D(60), "e": D(40), "f": D(0), "g": D(300)}
    by_list = tiers(amounts, [Revenue(k, 2025, v, "TWD") for k, v in amounts.items()])
    by_report = {r.key: r.tier for r in pareto.rank(amounts.items()).rows}
    assert by_list == by_report and set(by_list.values()) == {"A", "B", "C"}


@pytest.mark.parametrize("rule, decisions, outcome", [
    ("majority", ["approve", "approve", "return"], "approve"),
    ("majority", ["approve", "approve", "return", "decline"], "tie"),
    ("two_thirds", ["approve", "approve", "return"], "approve"),
    ("two_thirds", ["approve", "return", "return"], "return"),
    ("unanimous", ["approve", "approve", "return"], "return"),
    ("unanimous", ["approve", "decline", "decline"], "decline"),
    ("unanimous", ["approve", "approve", "approve"], "approve"),
])
def test_migration_0016_tallies_earlier_rounds_as_the_process_does(rule, decisions, outcome):
    import importlib.util

    from engine.db.connect import MIGRATIONS
    spec = importlib.util.spec_from_file_location("m0016", MIGRATIONS / "versions" / "0016_deal_size_and_committee_rounds.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration._tally(rule, decisions) == outcome
