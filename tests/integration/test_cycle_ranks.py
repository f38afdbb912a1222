"""The median and nearest-rank 90th percentile a statement picks per step (window ranks on SQLite,
ordered-set aggregates on PostgreSQL) are those of the pure definition (engine/reports/stats.py),
for odd and even counts, ties and a single value."""
from __future__ import annotations

import random

from sqlalchemy import BigInteger, Column, MetaData, String, Table, create_engine, insert, select

from engine.reports import cycle
from engine.reports.stats import spread


def test_each_steps_median_and_p90_are_the_pure_definitions(db_url):
    rng = random.Random(12)
    times = {f"step{n}": [rng.choice([5, 7, 7, 11, 13, 1_000_003, 2**40 + 1]) * 1_000 + rng.randrange(3)
                          for _ in range(n)] for n in [*range(1, 14), 70, 99, 100]}
    rows = Table("times", MetaData(), Column("bpmn_id", String(20)), Column("took", BigInteger))
    db = create_engine(db_url)
    try:
        with db.begin() as conn:
            rows.create(conn)
            conn.execute(insert(rows), [{"bpmn_id": step, "took": took} for step, ts in times.items() for took in ts])
            found = {row[1]: cycle._spread(row[9], cycle._exact, *row[10:])
                     for row in conn.execute(cycle._step_ranks(select(rows.c.bpmn_id, rows.c.took), db.dialect.name))}
    finally:
        db.dispose()
    assert found == {step: spread([cycle._exact(t) for t in ts]) for step, ts in times.items()}
