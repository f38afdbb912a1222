"""Every report (issue 9) over a big seeded database, for a rep, a manager and a committee member:
p95 server time of the engine call and of the report page (Flask's test client, signed in),
beside a bare aggregate SELECT over the same rows (the report's own visibility clauses) timed
in the same run. Goal: <= 500 ms p95 on this machine kind. No asserts: it reports where they stand.

    .venv/bin/python bench/reports.py [--n 100000] [--db sqlite|postgresql|both|auto] [--runs 20]
        [--reports cycle_time,returns] [--roles rep,manager] [--filters 'department=d02&since=2026-01-01']

With --filters every report is asked with those filters (as its page's query string; the home
page's counts take none) and the bare SELECTs stay unfiltered: the filtered figure beside the
unfiltered view's aggregate.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import distinct, func, select  # noqa: E402

import bigdb  # noqa: E402
from engine import Engine, demo  # noqa: E402
from engine.db.schema import Instance, Task  # noqa: E402
from engine.db.workspace import Account, AccountRevenue, Contact  # noqa: E402
from engine.reports import scope  # noqa: E402
from engine.reports.filters import Filters  # noqa: E402
from webui import create_app  # noqa: E402
from webui.server import settled  # noqa: E402

GOAL_MS = 500
SLOW_MS = 3000                      # a call slower than this is timed fewer times
# report -> the page that shows it
PAGES = {"portfolio": "/reports/portfolio", "pipeline": "/reports/pipeline", "cycle_time": "/reports/cycle-time",
         "returns": "/reports/returns", "overdue": "/reports/overdue", "coverage": "/reports/relationships",
         "projects_by_step": "/"}
ROLES = ("rep", "manager", "committee")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def timed(call, runs: int) -> tuple[float, int]:
    """p95 milliseconds of `call` (after one warm-up; fewer runs when it is very slow), and the runs."""
    t0 = time.perf_counter()
    call()
    if (time.perf_counter() - t0) * 1000 > SLOW_MS:
        runs = min(runs, 3)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        out.append((time.perf_counter() - t0) * 1000)
    return p95(out), runs


def bare_queries(eng: Engine, username: str) -> dict:
    """One aggregate SELECT per report over the rows it reads, with the report's own WHERE."""
    now = datetime.now(timezone.utc)
    with eng.ctx.uow(read_only=True) as uow:
        person = scope.viewer(uow, username)
        projects = scope.projects_where(eng.ctx, uow, person, Filters())
        accounts = scope.accounts_where(uow, person, Filters())
        year = uow.session.scalar(select(func.max(AccountRevenue.year)))
    open_steps = (select(Task.bpmn_id, func.count(distinct(Task.instance_id))).join(Instance, Instance.id == Task.instance_id)
                  .where(Task.state == "open", Instance.status == "running", *projects).group_by(Task.bpmn_id))
    return {
        "portfolio": select(func.count(), func.sum(AccountRevenue.amount)).join(
            Account, Account.id == AccountRevenue.account_id).where(AccountRevenue.year == year, *accounts),
        "pipeline": open_steps,
        "cycle_time": select(Task.bpmn_id, func.count(), func.min(Task.created_at), func.max(Task.closed_at))
        .join(Instance, Instance.id == Task.instance_id).where(*projects).group_by(Task.bpmn_id),
        "returns": select(Task.bpmn_id, Instance.owner, Task.decision, Task.reason_code, Task.first_decision,
                          func.count()).join(Instance, Instance.id == Task.instance_id)
        .where(Task.decision.isnot(None), *projects)
        .group_by(Task.bpmn_id, Instance.owner, Task.decision, Task.reason_code, Task.first_decision),
        "overdue": select(Task.assignee, Task.candidate_group, Task.bpmn_id, func.count(), func.min(Task.due_at))
        .join(Instance, Instance.id == Task.instance_id)
        .where(Task.state == "open", Instance.status == "running", Task.due_at < now, *projects)
        .group_by(Task.assignee, Task.candidate_group, Task.bpmn_id),
        "coverage": select(Contact.account_id, Contact.relationship_stage, func.count())
        .join(Account, Account.id == Contact.account_id).where(*accounts)
        .group_by(Contact.account_id, Contact.relationship_stage),
        "projects_by_step": open_steps,
    }


def signed_in(app, username: str):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": demo.PASSWORD})
    return client


UNFILTERED = {"projects_by_step"}     # the home page's counts take no filters


def run(backend: str, n: int, runs: int, pg: str | None, reports: list[str], roles: list[str],
        filters: dict[str, str]) -> list[tuple]:
    url, meta = bigdb.database(n, backend, pg)
    print(f"\n{backend}, {n} projects (seeded in {meta['seconds'].get('total')}s)")
    eng = Engine(url, forms_dir=ROOT / "forms")
    people = bigdb.people(n)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        app = settled(create_app({"ENGINE": eng, "SECRET_KEY": "bench", "INSTANCE_PATH": Path(tmp) / "instance",
                                  "WTF_CSRF_ENABLED": False}))   # only the sign-in posts; every timed request is a GET
        # settled: as a serving process is (webui/server.py), start-up's objects out of the collector's sight
        print(f"{'viewer':<10} {'report':<17} {'engine p95':>10} {'page p95':>9} {'bare p95':>9} {'× bare':>7}  runs")
        for role in roles:
            username = people[role]
            client = signed_in(app, username)
            bare = bare_queries(eng, username)
            for report, page in ((r, PAGES[r]) for r in reports):
                call = getattr(eng.reports, report)
                if filters and report not in UNFILTERED:
                    page = f"{page}?{urlencode(filters)}"
                    engine_ms, done = timed(lambda: call(username, filters), runs)
                else:
                    engine_ms, done = timed(lambda: call(username), runs)
                page_ms, _ = timed(lambda: client.get(page), runs)
                with eng.db.connect() as conn:
                    bare_ms, _ = timed(lambda: conn.execute(bare[report]).all(), runs)
                flag = "" if max(engine_ms, page_ms) <= GOAL_MS else "  > goal"
                print(f"{role:<10} {report:<17} {engine_ms:>10.1f} {page_ms:>9.1f} {bare_ms:>9.1f} "
                      f"{engine_ms / max(bare_ms, 0.01):>7.1f}  {done}{flag}")
                rows.append((backend, role, report, engine_ms, page_ms, bare_ms))
    eng.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="projects in the big database")
    ap.add_argument("--db", choices=("sqlite", "postgresql", "both", "auto"), default="auto",
                    help="auto: SQLite, and PostgreSQL too when a server is given")
    ap.add_argument("--pg", help="PostgreSQL server URL (default: $KAMFLOW_TEST_POSTGRESQL_URL)")
    ap.add_argument("--runs", type=int, default=20, help="timed runs per figure")
    ap.add_argument("--reports", default=",".join(PAGES), help=f"some of: {','.join(PAGES)}")
    ap.add_argument("--roles", default=",".join(ROLES), help=f"some of: {','.join(ROLES)}")
    ap.add_argument("--filters", default="", help="the reports' filters as a query string")
    args = ap.parse_args()
    reports, roles = args.reports.split(","), args.roles.split(",")
    for name, chosen, known in (("--reports", reports, PAGES), ("--roles", roles, ROLES)):
        if unknown := [c for c in chosen if c not in known]:
            ap.error(f"{name}: unknown {', '.join(unknown)}; known: {', '.join(known)}")
    filters = dict(parse_qsl(args.filters))
    print(f"Reports over a big database; goal <= {GOAL_MS} ms p95 (milliseconds; × bare: engine / bare SELECT)"
          + (f"; filters {filters}" if filters else ""))
    for backend in bigdb.backends(args.db, args.pg):
        run(backend, args.n, args.runs, args.pg, reports, roles, filters)


if __name__ == "__main__":
    main()
