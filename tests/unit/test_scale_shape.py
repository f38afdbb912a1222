"""The seeder's sizes and distributions (engine/scale/shape.py) and its row patterns
(engine/scale/pattern.py): pure, no database."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from engine.scale import shape
from engine.scale.pattern import Actions, Row, compile_text, escape


def test_apportioned_counts_add_up_to_the_total_and_follow_the_shares():
    counts = shape.apportion(1000, {"a": 0.5, "b": 0.3, "c": 0.2})
    assert counts == {"a": 500, "b": 300, "c": 200}
    odd = shape.apportion(7, {"a": 1, "b": 1, "c": 1})
    assert sum(odd.values()) == 7 and sorted(odd.values()) == [2, 2, 3]


def test_the_mix_covers_every_project_and_puts_a_tenth_in_the_pool():
    assert abs(sum(shape.MIX.values()) - 1) < 1e-9
    counts = shape.scenario_counts(100_000)
    assert sum(counts.values()) == 100_000 and counts["pool_review"] == 10_000


def test_the_organisation_at_100k_has_about_185_users_and_groups_and_scales_down_with_its_reps():
    big, small = shape.organisation(100_000), shape.organisation(1_000)
    assert 170 <= big.users + 6 <= 195                    # + the six groups
    assert shape.accounts(100_000, big.reps) == 10_000
    per_rep = 100_000 / big.reps, 1_000 / small.reps
    assert abs(per_rep[0] - per_rep[1]) / per_rep[0] < 0.4      # a rep's volume, not the total, stays


def test_pareto_revenue_puts_about_80_percent_in_the_top_fifth():
    rng = random.Random(3)
    revenue = sorted((shape.pareto_revenue(rng) for _ in range(20_000)), reverse=True)
    share = sum(revenue[:4_000]) / sum(revenue)
    assert 0.65 < share < 0.9


def test_step_waits_are_positive_and_centred_on_the_steps_median():
    rng = random.Random(5)
    waits = sorted(shape.step_seconds(rng, "proposal") for _ in range(2_001))
    assert waits[0] >= 60 and 3 * shape.DAY < waits[1000] < 5 * shape.DAY


BASE = datetime(2001, 1, 1, tzinfo=timezone.utc)
ACTIONS = Actions([BASE, BASE + timedelta(hours=1)], [1000.0, 1010.0, 1020.0])


def test_a_pattern_finds_tokens_engine_times_and_wall_clock_timers():
    timer = datetime.fromtimestamp(1012.5 + 3 * 86_400, timezone.utc).isoformat(timespec="microseconds")
    text = f'{{"owner":"qzownerqz","due":"{timer}","last_state_change":1001.25}}'
    pattern = compile_text(text, {"qzownerqz": "owner"}, ACTIONS, with_times=True)
    copy = [datetime(2024, 5, 1, tzinfo=timezone.utc), datetime(2024, 5, 3, tzinfo=timezone.utc)]
    out = pattern.render({"owner": escape('林"雅美')}, copy)
    assert '"owner":"林\\"雅美"' in out
    assert (copy[1] + timedelta(days=3, seconds=2.5)).isoformat(timespec="microseconds") in out
    assert f'"last_state_change":{copy[0].timestamp() + 1.25!r}' in out


def test_a_row_keeps_what_does_not_change_and_renders_the_rest():
    row = Row({"id": "T1", "state": "open", "created_at": BASE + timedelta(hours=1), "facts": {"by": "qzownerqz"},
               "attempts": 0}, {"T1": "task0", "qzownerqz": "owner"}, ACTIONS)
    copy = [datetime(2024, 5, 1, tzinfo=timezone.utc), datetime(2024, 5, 3, tzinfo=timezone.utc)]
    out = row.render({"task0": "N1", "owner": "amy"}, {"task0": "N1", "owner": "amy"}, copy)
    assert out == {"id": "N1", "state": "open", "created_at": copy[1], "facts": {"by": "amy"}, "attempts": 0}
