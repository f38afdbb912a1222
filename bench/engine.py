"""Completions per second through the facade, as a ratio to raw SpiffWorkflow.

The baseline, measured in the same run because these machines are noisy: one
single-threaded SpiffWorkflow load → complete one task → save cycle of a fresh
key-account instance (round 0), with SpiffWorkflow's default serializer, in memory.
Then, on SQLite and (if KAMFLOW_TEST_POSTGRESQL_URL or --pg is given) PostgreSQL, the
facade's `complete()` after 0, 10, 100 and 1,000 return rounds. Prints one table.

    .venv/bin/python bench/engine.py [--rounds 0,10,100,1000] [--n 200] [--pg URL]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from engine import Engine  # noqa: E402
from engine.demo import answer, create_users, to_manager_review  # noqa: E402
from engine.spiff.scripts import make_script_engine  # noqa: E402

PROCESS = "key_account_development"


def raw_baseline(n: int) -> float:
    """Raw SpiffWorkflow cycles per second: load a fresh instance, complete a task, save."""
    parser = SpiffBpmnParser()
    parser.add_dmn_files_by_glob(str(ROOT / "workflows" / "*.dmn"))
    parser.add_bpmn_files_by_glob(str(ROOT / "workflows" / "*.bpmn"))
    spec, subs = parser.get_spec(PROCESS), parser.get_subprocess_specs(PROCESS)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(dict(SPIFF_CONFIG)))
    scripts = make_script_engine({"committee_members_for": lambda owner: ["cat", "ken", "col"]})
    wf = BpmnWorkflow(spec, subs, script_engine=scripts)
    wf.get_tasks(state=TaskState.READY)[0].data.update(project_name="Bench", owner="amy")
    wf.do_engine_steps()
    fresh = serializer.serialize_json(wf)
    start = time.perf_counter()
    for _ in range(n):
        wf = serializer.deserialize_json(fresh)
        wf.script_engine = scripts
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update(answer(task.task_spec.bpmn_id))
        task.run()
        wf.do_engine_steps()
        serializer.serialize_json(wf)
    return n / (time.perf_counter() - start)


def facade_rate(url: str, rounds: int, n: int) -> tuple[float, int]:
    """Completions per second through Engine.complete after `rounds` return rounds."""
    eng = Engine(url)
    try:
        eng.deploy(ROOT / "workflows")
        create_users(eng, password=None)
        iid = to_manager_review(eng, "amy", f"Bench {rounds}")

        def one_round(timed: list[float] | None):
            for user, bpmn_id, decision in (("bob", "manager_review", "return"), ("amy", "proposal", "approve")):
                task = next(t for t in eng.tasks(user) if t.instance_id == iid and t.bpmn_id == bpmn_id)
                data = answer(bpmn_id, decision=decision)
                t0 = time.perf_counter()
                eng.complete(task.id, user, data)
                if timed is not None:
                    timed.append(time.perf_counter() - t0)
        for _ in range(rounds):
            one_round(None)
        timed: list[float] = []
        for _ in range(max(1, n // 2)):
            one_round(timed)
        with eng.db.connect() as conn:
            size = len(conn.exec_driver_sql(f"SELECT workflow FROM instances WHERE id = '{iid}'").scalar())
        return len(timed) / sum(timed), size
    finally:
        eng.close()


def fresh_pg(url: str, tag: str) -> str:
    from sqlalchemy import create_engine, text
    schema = f"bench_{tag}_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", default="0,10,100,1000")
    ap.add_argument("--n", type=int, default=200, help="timed completions per row")
    ap.add_argument("--pg", default=os.environ.get("KAMFLOW_TEST_POSTGRESQL_URL", ""))
    args = ap.parse_args()
    rounds = [int(r) for r in args.rounds.split(",")]
    print("ratio = facade completions/s ÷ raw SpiffWorkflow load→complete→save cycles/s of a fresh")
    print("instance, the baseline re-measured right before each row (the machine is noisy)")
    print(f"{'database':<11}{'rounds':>7}{'completions/s':>15}{'baseline/s':>12}{'ratio':>8}{'stored bytes':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for db in ["sqlite"] + (["postgresql"] if args.pg else []):
            for r in rounds:
                url = f"sqlite:///{tmp}/bench_{r}.db" if db == "sqlite" else fresh_pg(args.pg, str(r))
                rate, size = facade_rate(url, r, args.n)
                base = raw_baseline(args.n)
                print(f"{db:<11}{r:>7}{rate:>15,.0f}{base:>12,.0f}{rate / base:>8.2f}{size:>14,}", flush=True)


if __name__ == "__main__":
    main()
