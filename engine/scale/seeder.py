"""`kamflow demo --scale N`: a realistic database of N key-account projects, in minutes.

The organisation is made through the engine; template projects are driven by the real engine
to each step in a scratch database (templates.py); then N copies of them, with their own
owners, accounts, names and times, are written with bulk inserts in batches, each batch one
transaction. Accounts and their people are written directly. Deterministic for a `seed`.
"""
from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select, update

from ..catalog import latest_definition
from ..db.schema import Instance, ProcessSequence
from ..demo import PROCESS
from ..errors import Conflict
from ..workspace import base_amounts
from . import accounts, bulk, clone, org, shape, templates

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
COPIES_PER_BATCH = 500
PROJECT_KINDS = ["票務系統雲端化", "智慧工廠 MES", "資安升級", "ERP 汰換", "數據平台", "客服平台", "物聯網監控",
                 "供應鏈整合", "行動應用", "核心系統更新"]


@dataclass
class Summary:
    projects: int
    users: int
    accounts: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    landmarks: dict[str, str] = field(default_factory=dict)


def landmarks(people: org.People) -> dict[str, str]:
    """The people the benchmarks time: a typical rep and manager, the pool, a committee member."""
    typical = people.departments[1]
    return {"rep": typical.reps[0], "manager": typical.managers[0], "pool_manager": people.departments[0].managers[0],
            "pool": f"manager:{people.departments[0].name}", "committee": people.committee[1][0],
            "chair": people.committee[0][0], "admin": people.admins[0]}


def seed(eng, n: int, seed: int = 1, progress: Callable[[str], None] = print,
         now: datetime | None = None) -> Summary:
    """Fill an empty database (no users yet) with `n` projects and everything around them."""
    started = time.perf_counter()
    now = now or datetime.now(timezone.utc)
    rng = random.Random(seed)
    if eng.users():
        raise Conflict("the database already has users: --scale seeds an empty database only")
    eng.deploy(WORKFLOWS)
    size = shape.organisation(n)
    people = org.plan(size)
    summary = Summary(n, org.create(eng, size, people, rng), shape.accounts(n, size.reps),
                      landmarks=landmarks(people))
    summary.seconds["organisation"] = time.perf_counter() - started
    progress(f"organisation: {summary.users} users in {summary.seconds['organisation']:.1f}s")

    mark = time.perf_counter()
    made = _accounts(eng, rng, summary.accounts, people, now, summary)
    summary.seconds["accounts"] = time.perf_counter() - mark
    progress(f"accounts: {summary.accounts} in {summary.seconds['accounts']:.1f}s")

    mark = time.perf_counter()
    compiled = {c.scenario: clone.Template(c) for c in templates.capture_all(people.committee)}
    summary.seconds["templates"] = time.perf_counter() - mark
    progress(f"templates: {len(compiled)} scenarios driven through the engine in {summary.seconds['templates']:.1f}s")

    mark = time.perf_counter()
    _projects(eng, rng, n, compiled, people, made, now, summary, progress)
    summary.seconds["projects"] = time.perf_counter() - mark
    summary.seconds["total"] = time.perf_counter() - started
    progress(f"projects: {n} in {summary.seconds['projects']:.1f}s; total {summary.seconds['total']:.1f}s")
    return summary


def _accounts(eng, rng, count: int, people: org.People, now: datetime, summary: Summary):
    tables = {k: [] for k in bulk.ORDER}
    tables["account_events"] = []
    with eng.db.begin() as conn:
        ids = {"activity": bulk.next_id(conn, "activities"), "stage_change": bulk.next_id(conn, "contact_stage_changes")}
        made = accounts.build(rng, count, people.reps, lambda rep: people.department_of(rep).reps, now, tables, ids)
        event_id = bulk.next_id(conn, "audit_events")
        for fields, payload in tables.pop("account_events"):
            tables["audit_events"].append({**fields, "id": event_id})
            tables["audit_payloads"].append({"event_id": event_id, "data": payload, "erased_by": None})
            tables["audit_heads"].append({"stream": fields["stream"], "seq": 1, "hash": fields["hash"]})
            event_id += 1
        bulk.insert(conn, "exchange_rates", accounts.rates_rows(now.date()))
        bulk.insert_all(conn, tables)
    with eng.ctx.uow() as uow:      # as the engine keeps each row it writes (else every read converts them)
        base_amounts.keep(uow.session, now.date())
    summary.rows.update({k: len(v) for k, v in tables.items() if v})
    return made


def plan_copies(rng: random.Random, n: int, compiled: dict, people: org.People, made, now: datetime) -> list:
    """Every copy to write, oldest first (numbers follow the order projects started in)."""
    by_owner: dict[str, list] = {}
    for a in made:
        by_owner.setdefault(a.owner, []).append(a)
    pool = people.departments[0]
    copies = []
    for scenario, count in shape.scenario_counts(n).items():
        for _ in range(count):
            owner = rng.choice(pool.reps if scenario == "pool_review" else people.reps)
            department = people.department_of(owner)
            account = rng.choice(by_owner[owner])
            managers = (department.managers + department.managers)[:2]
            copy_seed = rng.getrandbits(63)
            starts = compiled[scenario].times(random.Random(copy_seed), now)[0].timestamp()
            copies.append(clone.Copy(scenario, copy_seed, owner, managers, department.name, account.id,
                                     account.name, f"{account.name} {rng.choice(PROJECT_KINDS)}", starts))
    copies.sort(key=lambda c: c.starts)
    return copies


def _projects(eng, rng, n, compiled, people, made, now, summary: Summary, progress) -> None:
    copies = plan_copies(rng, n, compiled, people, made, now)
    with eng.db.connect() as conn:
        definition_id = latest_definition_id(conn)
        first = (conn.scalar(select(func.max(Instance.number)).where(Instance.process_id == PROCESS)) or 0) + 1
        ids = clone.Ids(bulk.next_id(conn, "audit_events"), bulk.next_id(conn, "notifications"))
    totals: dict[str, int] = {}
    mark = time.perf_counter()

    def write(tables: dict) -> None:
        with eng.db.begin() as conn:
            bulk.insert_all(conn, tables)

    # one batch is written (the database working) while the next is made (Python working)
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending = None
        for start in range(0, len(copies), COPIES_PER_BATCH):
            out = clone.Rows.empty()
            for k, c in enumerate(copies[start:start + COPIES_PER_BATCH]):
                clone.render(compiled[c.scenario], c, first + start + k, definition_id, now, ids, out)
            if pending is not None:
                pending.result()
            pending = writer.submit(write, vars(out))
            for name, rows in vars(out).items():
                totals[name] = totals.get(name, 0) + len(rows)
            done = min(start + COPIES_PER_BATCH, len(copies))
            if done == len(copies) or (start // COPIES_PER_BATCH) % 20 == 19:
                progress(f"  {done}/{len(copies)} projects ({done / (time.perf_counter() - mark):.0f}/s)")
        if pending is not None:
            pending.result()
    with eng.db.begin() as conn:
        last = first + len(copies) - 1
        if conn.execute(update(ProcessSequence).where(ProcessSequence.process_id == PROCESS)
                        .values(last_number=last)).rowcount == 0:
            conn.execute(ProcessSequence.__table__.insert(), [{"process_id": PROCESS, "last_number": last}])
        bulk.move_sequences(conn)
    for name, count in totals.items():
        summary.rows[name] = summary.rows.get(name, 0) + count


def latest_definition_id(conn) -> int:
    from sqlalchemy.orm import Session
    with Session(bind=conn) as session:
        return latest_definition(session, PROCESS).id

