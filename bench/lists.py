"""The long lists at scale (issue 12, goals 1 and 2): the inbox of a rep, a typical manager and
the ~10,000-task pool's manager, on the first page and the 500th page of 20 (the last, when
there are fewer), at 100,000 and at 1,000 projects, each beside the bare indexed SELECT of the
same page run in the same loop; and the admin's lists (instances, by status, by name,
incidents, outbox). Goals: inbox <= 3x its bare SELECT and p95 <= 50 ms; at 1,000 within
1.2x of the 100,000 figure; admin lists p95 <= 100 ms. No asserts: it reports where they stand.

The databases come from bench/bigdb.py. `--reuse` takes the big database bigdb last built even
when later migrations changed its fingerprint: it works on a copy (SQLite: a file copy;
PostgreSQL: CREATE DATABASE ... TEMPLATE), which the engine brings to the current schema.

    .venv/bin/python bench/lists.py [--n 100000 --small 1000] [--db sqlite|postgresql|both|auto] [--runs 40]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

import bigdb  # noqa: E402
from engine import Engine  # noqa: E402
from engine.db import keyset  # noqa: E402
from engine.usecases.inbox import decode  # noqa: E402

PAGE, DEEP = 20, 500
# The bare SELECT of a page: one source's index range, the page's rows and their instances' names.
BARE = ("SELECT t.id, t.instance_id, t.bpmn_id, t.name, t.due_at, t.created_at, i.project_name, i.account_name "
        "FROM tasks t JOIN instances i ON i.id = t.instance_id WHERE t.state = 'open' AND {who} "
        "AND (coalesce(t.due_at, '9999-12-31 23:59:59.999999'), t.created_at, t.id) > (:due, :created, :id) "
        "ORDER BY coalesce(t.due_at, '9999-12-31 23:59:59.999999'), t.created_at, t.id LIMIT 21")
START = {"due": "0001-01-01 00:00:00", "created": "0001-01-01 00:00:00", "id": ""}


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def copy_of(n: int, backend: str, pg: str | None) -> str:
    """A private copy of bigdb's last database of `n` projects (see --reuse)."""
    if backend == "sqlite":
        source, target = bigdb.FOLDER / f"big-{n}.db", bigdb.FOLDER / f"lists-{n}.db"
        if not source.exists():
            return bigdb.database(n, backend)[0]
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    server = pg or bigdb.os.environ["KAMFLOW_TEST_POSTGRESQL_URL"]
    name, source = f"kamflow_lists_{n}", f"kamflow_bench_{n}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": source}):
                admin.dispose()
                return bigdb.database(n, backend, pg)[0]
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def timed_pair(call, bare, runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds of `call` and of `bare`, alternating, after a warm-up of each."""
    for _ in range(3):
        call(), bare()
    mine, base = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        t1 = time.perf_counter()
        bare()
        t2 = time.perf_counter()
        mine.append((t1 - t0) * 1000)
        base.append((t2 - t1) * 1000)
    return mine, base


def deep_cursor(eng: Engine, user: str) -> tuple[str | None, int]:
    """The cursor of the 500th page of 20 (the last page, when there are fewer), found by
    walking the inbox in pages of 100 and keeping each task's key."""
    cursor, keys = None, []
    while len(keys) < (DEEP - 1) * PAGE:
        found = eng.lists.tasks(user, cursor=cursor, size=100)
        keys += [(t.due, t.created, t.id) for t in found.items]
        if not found.next:
            break
        cursor = found.next
    number = min(DEEP, max(1, -(-len(keys) // PAGE)))
    return (keyset.encode(True, keys[(number - 1) * PAGE - 1]) if number > 1 else None), number


def bare_page(eng: Engine, user: str, pool: str | None, cursor: str | None):
    """The bare SELECT of the page `cursor` starts, on a raw pooled connection."""
    who = "t.candidate_group = :who AND t.assignee IS NULL" if pool else "t.assignee = :who"
    key = dict(START)
    if cursor:
        due, created, task_id = decode(cursor).key
        stamp = "%Y-%m-%d %H:%M:%S.%f"
        key = {"due": due.strftime(stamp) if due else "9999-12-31 23:59:59.999999", "created": created.strftime(stamp),
               "id": task_id}
    sql = text(BARE.format(who=who)).bindparams(who=pool or user, **key)
    if eng.db.dialect.name == "postgresql":
        sql = text(BARE.format(who=who).replace("(:due, :created, :id)", "(CAST(:due AS timestamp), "
                                                                       "CAST(:created AS timestamp), :id)")
                   ).bindparams(who=pool or user, **key)

    def run():
        with eng.db.connect() as conn:
            return conn.execute(sql).all()
    return run


def inbox_rows(eng: Engine, people: dict, runs: int) -> list[tuple]:
    out = []
    for role in ("rep", "manager", "pool_manager"):
        user = people[role]
        pool = people["pool"] if role == "pool_manager" else None
        deep, number = deep_cursor(eng, user)
        for label, cursor in (("first page", None), (f"page {number}", deep)):
            mine, base = timed_pair(lambda: eng.lists.tasks(user, cursor=cursor, size=PAGE),
                                    bare_page(eng, user, pool, cursor), runs)
            whole = [(time.perf_counter(), eng.lists.inbox(user, cursor=cursor, size=PAGE), time.perf_counter())
                     for _ in range(max(5, runs // 4))]
            out.append((role, label, statistics.median(mine), p(mine, 95), statistics.median(base), p(base, 95),
                        statistics.median(mine) / statistics.median(base),
                        p([(b - a) * 1000 for a, _f, b in whole], 95), whole[-1][1].total))
    return out


def admin_rows(eng: Engine, people: dict, runs: int) -> list[tuple]:
    admin = people["admin"]
    calls = {"instances": lambda: eng.lists.instances(admin), "instances, running": lambda: eng.lists.instances(
        admin, "running"), "instances, search 'Project 12'": lambda: eng.lists.instances(admin, search="Project 12"),
        "instances, search '北'": lambda: eng.lists.instances(admin, search="北"),
        "incidents": lambda: eng.lists.incidents(admin), "outbox": lambda: eng.notifications.page(admin),
        "outbox, failed": lambda: eng.notifications.page(admin, "failed")}
    out = []
    for name, call in calls.items():
        call()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        out.append((name, statistics.median(times), p(times, 95)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--db", choices=("sqlite", "postgresql", "both", "auto"), default="auto")
    ap.add_argument("--pg")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--reuse", action="store_true", help="a migrated copy of bigdb's last database")
    args = ap.parse_args()
    for backend in bigdb.backends(args.db, args.pg):
        for n in (args.n, args.small):
            url = copy_of(n, backend, args.pg) if args.reuse else bigdb.database(n, backend, args.pg)[0]
            started = time.perf_counter()
            eng = Engine(url, forms_dir=ROOT / "forms")
            print(f"\n## {backend}, {n:,} projects (opened and migrated in {time.perf_counter() - started:.1f}s)")
            people = bigdb.people(n)
            print("| inbox | page | engine p50 / p95 ms | bare SELECT p50 / p95 ms | ratio (p50) | "
                  "with counts and returns, p95 ms | tasks |")
            print("|---|---|---|---|---|---|---|")
            for role, label, m50, m95, b50, b95, ratio, whole95, total in inbox_rows(eng, people, args.runs):
                print(f"| {role} | {label} | {m50:.1f} / {m95:.1f} | {b50:.2f} / {b95:.2f} | {ratio:.1f}x | "
                      f"{whole95:.1f} | {total:,} |")
            print("\n| admin list | p50 ms | p95 ms |\n|---|---|---|")
            for name, m50, m95 in admin_rows(eng, people, args.runs):
                print(f"| {name} | {m50:.1f} | {m95:.1f} |")
            eng.close()


if __name__ == "__main__":
    main()
