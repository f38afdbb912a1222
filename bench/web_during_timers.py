"""Web completions while the timer worker fires a backlog, on SQLite (issue 12): SQLite lets one
writer in at a time, and the worker writes 20 instances a transaction, so a user's POST waits
for its turn between batches. This measures how long.

`kamflow serve` (gunicorn, 2 workers) on a fresh SQLite database with the demo users; 2 client
threads each drive one project's loop over HTTP (bob returns the proposal, amy resubmits it, as
bench/completions.py does). First the clients run alone for `--seconds`; then a timer worker
(`Engine.fire_timers`, in its own process) fires `--timers` due reminders (bench/timers.py's
copies) while the clients go on. Printed: the POSTs' latency (p50 / p95 / max) alone and during
the backlog, and the worker's rate with and without the clients (its rate alone measured after,
on the same copies reset). No asserts: it reports.

    .venv/bin/python bench/web_during_timers.py [--timers 2000] [--seconds 10] [--clients 2]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine  # noqa: E402

from engine import Engine, demo  # noqa: E402


def _bench_module(name: str):
    """A sibling benchmark as a module (bench/engine.py would shadow the `engine` package on sys.path)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


timers, completions = _bench_module("timers"), _bench_module("completions")


def _drive(base: str, lookup, iid: str, back: dict, again: dict, stop: threading.Event, out: list):
    """One project's loop; each POST as (start, seconds taken)."""
    bob, amy = completions.Browser(base, "bob"), completions.Browser(base, "amy")
    while not stop.is_set():
        for who, step, fields in ((bob, "manager_review", back), (amy, "proposal", again)):
            task_id = lookup(iid, step)
            started = time.perf_counter()
            status = who.post(f"/tasks/{task_id}", fields)
            out.append((started, time.perf_counter() - started))
            if status != 302:
                raise RuntimeError(f"{step} answered {status}")


def _spread(latencies: list[float]) -> str:
    if not latencies:
        return "no POSTs"
    ms = sorted(x * 1000 for x in latencies)
    return (f"{len(ms):4d} POSTs, p50 {statistics.median(ms):6.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:6.1f} ms, "
            f"max {ms[-1]:7.1f} ms")


_FIRE = ("import sys; from datetime import datetime, timezone; from engine import Engine; "
         "eng = Engine(sys.argv[1]); print(eng.fire_timers(datetime.now(timezone.utc))); eng.close()")


def _fire_in_process(url: str) -> tuple[int, float]:
    """A timer worker of its own (as `kamflow worker` runs apart from the web), firing until nothing is due."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _FIRE, url], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return int(done.stdout.strip().splitlines()[-1]), time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timers", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'kamflow.db'}"
        due = timers.DueTimers(url, args.timers)
        eng = Engine(url)
        back, again = completions._forms(eng)
        projects = [demo.to_manager_review(eng, "amy", f"Bench web {n}") for n in range(args.clients)]
        eng.close()
        db = create_engine(url)
        stop, posts = threading.Event(), []
        with completions.serving(url, folder) as base:
            due.reset()
            clients = [threading.Thread(target=_drive, args=(base, completions.open_task_lookup(db), iid, back,
                                                             again, stop, posts)) for iid in projects]
            alone_from = time.perf_counter()
            for t in clients:
                t.start()
            time.sleep(args.seconds)
            busy_from = time.perf_counter()
            try:
                fired, took = _fire_in_process(url)
            finally:
                busy_to = time.perf_counter()
                stop.set()
                for t in clients:
                    t.join()
        alone = [s for at, s in posts if alone_from <= at < busy_from]
        during = [s for at, s in posts if busy_from <= at and at + s <= busy_to]
        due.reset()
        fired_alone, took_alone = _fire_in_process(url)
        print(f"SQLite, {args.clients} clients completing over HTTP (gunicorn, 2 workers), "
              f"a timer worker firing {args.timers:,} due reminders")
        print(f"  clients alone ({args.seconds:.0f} s):     {_spread(alone)}")
        print(f"  during the backlog ({took:.1f} s): {_spread(during)}")
        print(f"  the worker: {fired / took:.0f} timers/s beside the clients, {fired_alone / took_alone:.0f} timers/s "
              f"alone ({fired:,} and {fired_alone:,} fired)")
        db.dispose()
        due.db.dispose()


if __name__ == "__main__":
    main()
