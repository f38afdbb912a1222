"""The committee's cycle time from the kept summaries (migration 0027) against the same figures read
from the activations (`cycle.from_activations`, the code before), alternately in one process on the
big database, their answers compared first; then the summaries' recount of one project, as a task
write pays it. With `--filters` (a period), the same for what is kept by month (migration 0041,
`kept_period`). Run with KAMFLOW_BENCH_COPY set when the branch adds a migration.

    KAMFLOW_BENCH_COPY=cycle .venv/bin/python bench/cycle_summaries.py [--n 100000] [--db both] [--runs 5]
        [--filters 'since=2026-06-15&until=2026-09-30']
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import select, update  # noqa: E402

import bigdb  # noqa: E402
from engine import Engine  # noqa: E402
from engine.db.schema import Task  # noqa: E402
from engine.reports import cycle, scope  # noqa: E402
from engine.reports.filters import parse  # noqa: E402


class Rollback(Exception):
    """Leaves the database as it was."""


def ms(call) -> float:
    t0 = time.perf_counter()
    call()
    return (time.perf_counter() - t0) * 1000


def run(backend: str, n: int, runs: int, pg: str | None, raw: dict[str, str]) -> None:
    url, _meta = bigdb.database(n, backend, pg)
    eng = Engine(url, forms_dir=ROOT / "forms")
    who = bigdb.people(n)["committee"]

    def old():
        with eng.ctx.uow(read_only=True) as uow:
            return cycle.from_activations(eng.ctx, uow, scope.viewer(uow, who), parse(raw))

    def new():
        return eng.reports.cycle_time(who, raw)
    try:
        before, after = old(), new()
        same = before == after
        print(f"\n{backend}: answers identical: {same}, load {os.getloadavg()[0]:.1f}")
        if not same:
            print(" from the activations:", before, "\n from the summaries:", after)
        times = {"old": [], "new": []}
        for _ in range(runs):
            times["old"].append(ms(old))
            times["new"].append(ms(new))
        for name, values in times.items():
            print(f"  {name}: median {statistics.median(values):.1f} ms, max {max(values):.1f} ms")
        print(f"  ratio of medians new/old: {statistics.median(times['new']) / statistics.median(times['old']):.4f}")
        try:                                            # one row's recount, as a completion pays it
            with eng.ctx.uow() as uow:
                task = uow.session.scalars(select(Task).where(Task.state == "completed").limit(1)).one()
                for column in ("lane", "name"):        # lane: no summary kept; name: the recount runs
                    t0 = time.perf_counter()
                    for i in range(50):
                        uow.session.execute(update(Task).where(Task.id == task.id).values({column: f"{task.name} {i}"}))
                    print(f"  a task row's UPDATE of {column}: {(time.perf_counter() - t0) * 20:.2f} ms")
                raise Rollback()
        except Rollback:
            pass
        print(f"  load after: {os.getloadavg()[0]:.1f}")
    finally:
        eng.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", choices=("sqlite", "postgresql", "both", "auto"), default="auto")
    ap.add_argument("--pg", help="PostgreSQL server URL (default: $KAMFLOW_TEST_POSTGRESQL_URL)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--filters", default="", help="report filters as a query string, e.g. since=2026-06-15")
    args = ap.parse_args()
    raw = dict(parse_qsl(args.filters))
    for backend in bigdb.backends(args.db, args.pg):
        run(backend, args.n, args.runs, args.pg, raw)


if __name__ == "__main__":
    main()
