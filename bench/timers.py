"""Timers at scale (issue 12, goals 4 and 5): 10,000 due reminders fired by one worker and by two,
as a ratio to raw SpiffWorkflow; and whether a web worker's and a timer worker's memory settles.

Setup: one key-account project is taken to the manager's review through the engine with
`reminder_after = PT1S`, and its rows (instance, task, candidates) are copied 10,000 times with
new ids (bulk insert; COPY on PostgreSQL): 10,000 projects whose reminder is due. Before each
measurement every copy is reset to that state, so each run fires the same 10,000 timers.

- Baseline, measured in the same run: raw single-threaded SpiffWorkflow, in memory, on the same
  stored state: deserialize → fire the due reminder (refresh_timers, do_engine_steps) → serialize.
- One worker: `Engine.fire_timers(now)` in this process until nothing is due (20 instances a
  transaction: claim, load, fire, audit, notify, save; engine/usecases/timer_batches.py). Goal ≥ 0.5×
  the baseline.
- Two workers (PostgreSQL): two processes doing the same at once (SKIP LOCKED). Goal ≥ 1.5× one.
- Each fired exactly once: 10,000 reminder audit rows, none twice for a project.
- Memory: RSS of a `kamflow worker` process at 0 and after 5,000 and 10,000 timers; RSS of the gunicorn
  worker of `kamflow serve --workers 1` at 0 and after 5,000 and 10,000 requests (signed-in GETs of the
  inbox, a task page, a project page and /readyz, by 4 client threads). Goal: at 10,000 within
  5% of 5,000. Peak RSS (VmHWM) reported.

    .venv/bin/python bench/timers.py [--timers 10000] [--requests 10000] [--db sqlite|postgresql|both] [--pg URL]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import create_engine, func, select, text, update  # noqa: E402

from engine import Engine, demo  # noqa: E402
from engine.db.schema import AuditEvent, Instance, ProcessSequence, Task, TaskCandidate  # noqa: E402
from engine.demo import INFORMATION, answer, complete_open  # noqa: E402
from engine.scale import bulk  # noqa: E402
from engine.spiff.scripts import make_script_engine  # noqa: E402

PROCESS = "key_account_development"
START = {"project_name": "Bench timers", "reminder_after": "PT1S"}


# -- the baseline --------------------------------------------------------------------------
def raw_state() -> tuple[str, BpmnWorkflowSerializer, object]:
    """Raw SpiffWorkflow at the manager's review, reminder due one second after it opened."""
    parser = SpiffBpmnParser()
    parser.add_dmn_files_by_glob(str(ROOT / "workflows" / "*.dmn"))
    parser.add_bpmn_files_by_glob(str(ROOT / "workflows" / "*.bpmn"))
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(dict(SPIFF_CONFIG)))
    scripts = make_script_engine({"committee_members_for": lambda owner: ["cat", "ken", "col"]})
    wf = BpmnWorkflow(parser.get_spec(PROCESS), parser.get_subprocess_specs(PROCESS), script_engine=scripts)
    wf.get_tasks(state=TaskState.READY)[0].data.update(owner="amy", **START)
    wf.do_engine_steps()
    while True:
        ready = wf.get_tasks(state=TaskState.READY, manual=True)
        if not ready or ready[0].task_spec.bpmn_id == "manager_review":
            break
        ready[0].data.update(answer(ready[0].task_spec.bpmn_id))
        ready[0].run()
        wf.do_engine_steps()
    time.sleep(1.1)                      # the reminder is due now
    return serializer.serialize_json(wf), serializer, scripts


def raw_rate(state, n: int = 300) -> float:
    stored, serializer, scripts = state
    start = time.perf_counter()
    for _ in range(n):
        wf = serializer.deserialize_json(stored)
        wf.script_engine = scripts
        wf.refresh_timers()
        wf.do_engine_steps()
        serializer.serialize_json(wf)
    return n / (time.perf_counter() - start)


# -- 10,000 projects with a due reminder -------------------------------------------------------
class DueTimers:
    def __init__(self, url: str, count: int):
        self.url, self.count = url, count
        eng = Engine(url)
        eng.deploy(ROOT / "workflows")
        demo.create_users(eng)
        iid = eng.start(PROCESS, "amy", START)
        for bpmn_id in INFORMATION + ("proposal",):
            complete_open(eng, iid, bpmn_id)
        self.template_iid = iid
        self.db = eng.db
        with self.db.connect() as conn:
            self.instance = dict(conn.execute(select(Instance.__table__).where(Instance.id == iid)).one()._mapping)
            self.tasks = [dict(r._mapping) for r in conn.execute(
                select(Task.__table__).where(Task.instance_id == iid, Task.state == "open"))]
            self.candidates = [dict(r._mapping) for r in conn.execute(
                select(TaskCandidate.__table__).where(TaskCandidate.task_id.in_([t["id"] for t in self.tasks])))]
        self.ids = self._copy()
        self.state_bytes = len(self.instance["workflow"])
        eng.close()

    def _copy(self) -> list[str]:
        rows = {"instances": [], "tasks": [], "task_candidates": []}
        ids = []
        for n in range(self.count):
            iid = str(uuid.uuid4())
            ids.append(iid)
            rows["instances"].append({**self.instance, "id": iid, "number": self.instance["number"] + 1 + n,
                                      "project_name": f"Bench timers {n}"})
            for task in self.tasks:
                tid = str(uuid.uuid4())
                rows["tasks"].append({**task, "id": tid, "instance_id": iid})
                rows["task_candidates"] += [{**c, "task_id": tid} for c in self.candidates
                                            if c["task_id"] == task["id"]]
        with self.db.begin() as conn:
            conn.execute(update(Instance).where(Instance.id == self.template_iid).values(status="suspended"))
            bulk.insert_all(conn, rows)
            conn.execute(update(ProcessSequence).where(ProcessSequence.process_id == self.instance["process_id"])
                         .values(last_number=self.instance["number"] + self.count))   # later starts number on
        return ids

    def reset(self) -> None:
        """Every copy back at its review with the reminder due; the fired ones' rows stay (history)."""
        i = self.instance
        with self.db.begin() as conn:
            conn.execute(update(Instance).where(Instance.id.in_(self.ids)).values(
                workflow=i["workflow"], version=i["version"], next_timer_at=i["next_timer_at"],
                status="running"))
        self.runs = getattr(self, "runs", 0) + 1
        self.audit_before = self.reminders()

    def reminders(self) -> int:
        with self.db.connect() as conn:
            return conn.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "reminder"))

    def fired_once_each(self) -> bool:
        """Every copy has one reminder in its history per run so far, and none is due any more."""
        with self.db.connect() as conn:
            per_copy = Counter(n for _iid, n in conn.execute(
                select(AuditEvent.instance_id, func.count()).where(AuditEvent.kind == "reminder")
                .group_by(AuditEvent.instance_id)))
            due = conn.scalar(select(func.count()).select_from(Instance).where(
                Instance.status == "running", Instance.next_timer_at <= datetime.now(timezone.utc)))
        return per_copy == Counter({self.runs: self.count}) and due == 0


def fire_all(url: str, go=None, out=None) -> int:
    eng = Engine(url, db=None)
    if go is not None:
        go.wait()
    fired = eng.fire_timers(datetime.now(timezone.utc))
    eng.close()
    if out is not None:
        out.put(fired)
    return fired


def one_worker(due: DueTimers) -> tuple[float, int]:
    due.reset()
    start = time.perf_counter()
    fired = fire_all(due.url)
    return fired / (time.perf_counter() - start), fired


def two_workers(due: DueTimers) -> tuple[float, int]:
    due.reset()
    mp = multiprocessing.get_context("forkserver")
    go, out = mp.Event(), mp.Queue()
    workers = [mp.Process(target=fire_all, args=(due.url, go, out)) for _ in range(2)]
    for w in workers:
        w.start()
    time.sleep(3)                      # both engines built and waiting
    start = time.perf_counter()
    go.set()
    fired = out.get() + out.get()
    elapsed = time.perf_counter() - start
    for w in workers:
        w.join()
    return fired / elapsed, fired


# -- memory ------------------------------------------------------------------------------------
def rss_kb(pid: int, field: str = "VmRSS") -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1))


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kamflow(url: str, log: Path, *command: str) -> subprocess.Popen:
    env = {**os.environ, "KAMFLOW_SECRET_KEY": "bench"}
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, "-m", "kamflow.cli", "--db", url, *command], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def timer_worker_memory(due: DueTimers, folder: Path) -> dict:
    """RSS of a real `kamflow worker` once started with nothing due (mark 0), then after half and all
    of the timers fired; started before the timers fall due, so mark 0 is before any firing."""
    due.reset()
    with due.db.begin() as conn:       # nothing due until the worker is up and measured
        conn.execute(update(Instance).where(Instance.id.in_(due.ids)).values(status="suspended"))
    proc = kamflow(due.url, folder / "worker.log", "worker", "--interval", "1")
    marks, start = {}, time.perf_counter()
    try:
        time.sleep(5)
        assert proc.poll() is None, (folder / "worker.log").read_text()
        marks[0] = rss_kb(proc.pid)
        with due.db.begin() as conn:
            conn.execute(update(Instance).where(Instance.id.in_(due.ids)).values(status="running"))
        while len(marks) < 3:
            fired = due.reminders() - due.audit_before
            for mark in (due.count // 2, due.count):
                if fired >= mark and mark not in marks:
                    marks[mark] = rss_kb(proc.pid)
            assert proc.poll() is None and time.perf_counter() - start < 3600, (folder / "worker.log").read_text()
            time.sleep(0.2)
        marks["peak"] = rss_kb(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        proc.wait(60)
    return marks


def demo_database(url: str) -> str:
    eng = Engine(url)
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng)
    demo.create_projects(eng)
    eng.close()
    return url


def web_worker_memory(url: str, folder: Path, total: int) -> dict:
    proc = kamflow(url, folder / "web.log", "serve", "--port", "0", "--workers", "1", "--threads", "4")
    try:
        address = None
        while address is None:
            found = re.search(r"Listening at: (http://[\d.:]+)", (folder / "web.log").read_text())
            address = found and found.group(1)
            time.sleep(0.2)
        while requests.get(f"{address}/readyz").status_code != 200:
            time.sleep(0.2)
        (worker,) = children(proc.pid)
        marks = {0: rss_kb(worker)}
        eng = Engine(url)
        task = eng.tasks("bob")[0]
        iid = task.instance_id
        eng.close()
        pages = ["/", f"/tasks/{task.id}", f"/projects/{iid}", "/readyz"]
        sessions = {}
        for user in ("amy", "bob"):
            http = requests.Session()
            token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(f"{address}/login").text).group(1)
            http.post(f"{address}/login", data={"username": user, "password": demo.PASSWORD, "csrf_token": token})
            sessions[user] = dict(http.cookies)
        done, lock = [0], threading.Lock()

        def get(n: int) -> None:
            user = "bob" if n % 4 == 1 else "amy"
            status = requests.get(address + pages[n % 4], cookies=sessions[user], timeout=60).status_code
            assert status == 200, (pages[n % 4], status)
            with lock:
                done[0] += 1
                if done[0] in (total // 2, total):
                    marks[done[0]] = rss_kb(worker)
        with ThreadPoolExecutor(4) as clients:
            list(clients.map(get, range(total)))
        marks["peak"] = rss_kb(worker, "VmHWM")
    finally:
        proc.terminate()
        proc.wait(60)
    return marks


# -- the run -----------------------------------------------------------------------------------
_CREATED: list[str] = []


def pg_database(server: str, name: str) -> str:
    """A new database `name_<random>` on `server` (two runs at once never share one), dropped at exit."""
    name = f"{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _CREATED.append(name)
    return server.rsplit("/", 1)[0] + "/" + name


def drop_created(server: str) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in _CREATED:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def mib(kb: int) -> str:
    return f"{kb / 1024:.1f} MiB"


def memory_line(marks: dict, total: int, what: str) -> str:
    half, full = marks[total // 2], marks[total]
    return (f"RSS {mib(marks[0])} at 0, {mib(half)} after {total // 2:,} {what}, {mib(full)} after {total:,} "
            f"({(full - half) / half:+.1%} from {total // 2:,}; goal within 5%), peak {mib(marks['peak'])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timers", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--db", choices=("sqlite", "postgresql", "both"), default=None)
    ap.add_argument("--pg", help="PostgreSQL server URL (default: $KAMFLOW_TEST_POSTGRESQL_URL)")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--only-memory", action="store_true", help="skip the firing rates")
    args = ap.parse_args()
    server = args.pg or os.environ.get("KAMFLOW_TEST_POSTGRESQL_URL")
    try:
        run(args, server)
    finally:
        if _CREATED:
            drop_created(server)


def run(args: argparse.Namespace, server: str | None) -> None:
    choice = args.db or ("both" if server else "sqlite")
    state = raw_state()
    print(f"{args.timers:,} due reminders on the key-account process (stored state at the manager's review)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        urls = []
        if choice in ("sqlite", "both"):
            urls.append(("SQLite", f"sqlite:///{folder / 'timers.db'}"))
        if choice in ("postgresql", "both"):
            if not server:
                raise SystemExit("PostgreSQL: pass --pg URL or set KAMFLOW_TEST_POSTGRESQL_URL")
            urls.append(("PostgreSQL", pg_database(server, "kamflow_bench_timers")))
        for name, url in urls:
            started = time.perf_counter()
            due = DueTimers(url, args.timers)
            print(f"\n{name}: {args.timers:,} copies made in {time.perf_counter() - started:.0f} s "
                  f"({due.state_bytes:,} B of workflow state each)", flush=True)
            if not args.only_memory:
                before = raw_rate(state)
                rate, fired = one_worker(due)
                after = raw_rate(state)
                base = statistics.mean([before, after])
                once = due.fired_once_each()
                print(f"  raw SpiffWorkflow fire cycle: {before:.0f} / {after:.0f} per s (before / after)")
                print(f"  one worker:  {rate:6.0f} timers/s  = {rate / base:.2f}× raw (goal ≥ 0.5)  "
                      f"fired {fired:,}, each once: {once}", flush=True)
                if name == "PostgreSQL":
                    rate2, fired2 = two_workers(due)
                    print(f"  two workers: {rate2:6.0f} timers/s  = {rate2 / rate:.2f}× one worker (goal ≥ 1.5)  "
                          f"fired {fired2:,}, each once: {due.fired_once_each()}", flush=True)
            if not args.skip_memory:
                marks = timer_worker_memory(due, folder)
                print(f"  timer worker: {memory_line(marks, args.timers, 'timers')}", flush=True)
                small = demo_database(f"sqlite:///{folder / 'web.db'}" if name == "SQLite"
                                      else pg_database(server, "kamflow_bench_web"))
                marks = web_worker_memory(small, folder, args.requests)
                print(f"  web worker:   {memory_line(marks, args.requests, 'requests')}", flush=True)
            due.db.dispose()


if __name__ == "__main__":
    main()
