"""The lists' statements use their indexes on both databases: EXPLAIN shows no full scan of a
table and no sort of a whole part, with enough rows that the planner has a choice.

The rows are written by the database itself (30,000 instances, 90,000 task rows, no workflow
state, which no list reads); each statement explained is one the engine sent, with its values.
On SQLite the plans are checked as a fresh database has them and again after ANALYZE.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from engine import Engine
from engine.db.schema import Definition
from engine.usecases.groups import open_tasks_of

from ..conftest import DATA, ROOT
from ..statements import sent
from .conftest import add_org

INSTANCES, POOL, MINE = 30_000, 6000, 300
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
BIG_TABLES = ("tasks", "instances", "task_candidates", "audit_events", "notifications", "incidents")


def _moment(dialect: str, sign: str, amount: str, unit: str) -> str:
    """SQL for NOW plus or minus `amount` (an SQL expression) `unit`s, as each database stores times."""
    if dialect == "sqlite":
        return f"strftime('%Y-%m-%d %H:%M:%f', '2026-12-01', '{sign}' || ({amount}) || ' {unit}') || '000'"
    return f"(timestamp '2026-12-01 00:00:00' {sign} ({amount}) * interval '1 {unit}')"


def bulk_rows(eng) -> None:
    """INSTANCES instances of the review loop by 50 reps, written by the database itself (fast):
    a tenth completed; each has two closed task rows and, when running, one open task: bob's
    (the first MINE), north's managers' pool (the next POOL) or its rep's. A fifth of the open
    tasks have no due date; every third task is also offered to a rep by name."""
    with eng.ctx.uow(read_only=True) as uow:
        definition = uow.session.scalar(select(Definition.id).where(Definition.process_id == "review_loop"))
    dialect = eng.db.dialect.name
    numbers = f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {INSTANCES}) "
    created = _moment(dialect, "-", "i", "minutes")
    instances = (numbers + "INSERT INTO instances (id, definition_id, process_id, number, status, owner, project_name, "
                 "account_name, stage, workflow, serializer_version, version, called, created_at, updated_at) "
                 f"SELECT 'i' || i, {definition}, 'review_loop', i, CASE WHEN i % 10 = 0 THEN 'completed' "
                 "ELSE 'running' END, 'rep' || (i % 50), 'Project ' || i, 'Account ' || (i % 700), '', '{}', '1', 1, "
                 f"'{{}}', {created}, {created} FROM n")
    who = (f"CASE WHEN i <= {MINE} THEN 'bob' WHEN i > {MINE + POOL} THEN 'rep' || (i % 50) END, "
           f"CASE WHEN i > {MINE} AND i <= {MINE + POOL} THEN 'manager:north' END")
    due = f"CASE WHEN i % 5 = 0 THEN NULL ELSE {_moment(dialect, '+', '(i * 7) % 500', 'hours')} END"
    tasks = [numbers + "INSERT INTO tasks (id, instance_id, spiff_task_id, bpmn_id, name, state, due_at, created_at, "
             f"assignee, candidate_group) SELECT 't{k}-' || i, 'i' || i, 't{k}-' || i, 'review', 'Review the draft', "
             f"{state}, {due}, {_moment(dialect, '-', f'(i * 13 + {k}) % 10000', 'minutes')}, {who} FROM n"
             for k, state in ((0, "'completed'"), (1, "'completed'"),
                              (2, "CASE WHEN i % 10 = 0 THEN 'completed' ELSE 'open' END"))]
    named = (numbers + "INSERT INTO task_candidates (task_id, username) SELECT 't2-' || i, 'rep' || (i % 50) "
             "FROM n WHERE i % 3 = 0")
    notifications = [numbers + "INSERT INTO notifications (username, kind, instance_id, task_id, locale, facts, "
                     "created_at, status, attempts, next_attempt_at) SELECT 'rep' || (i % 50), 'task_assigned', "
                     f"'i' || i, 't{k}-' || i, 'en', '{{}}', {created}, CASE WHEN i % 100 = 0 THEN 'failed' "
                     f"WHEN i % 97 = 0 THEN 'pending' ELSE 'sent' END, 1, {created} FROM n" for k in (0, 1)]
    incidents = (numbers + "INSERT INTO incidents (instance_id, element, line, message, submitted, created_at, "
                 f"resolved_at) SELECT 'i' || i, 'gateway', '', 'boom', '{{}}', {created}, CASE WHEN i % 450 = 0 "
                 f"THEN {created} END FROM n WHERE i % 150 = 0")
    with eng.db.begin() as conn:
        if dialect == "postgresql":     # plans only: the reports' summary triggers (0027-0031) would
            for table in ("instances", "tasks"):    # recount every one of these rows, for minutes
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for statement in (instances, *tasks, named, *notifications, incidents):
            conn.exec_driver_sql(statement if dialect == "sqlite" else statement.replace("%", "%%"))
        if dialect == "postgresql":
            for table in ("instances", "tasks"):
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        if dialect == "sqlite":
            conn.exec_driver_sql("ANALYZE")
        else:                               # this test's schema only: a bare ANALYZE reads every test's
            for table in conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")):
                conn.exec_driver_sql(f'ANALYZE "{table}"')


def plan(conn, statement: str, parameters):
    """SQLite: EXPLAIN QUERY PLAN rows (id, parent, detail); PostgreSQL: the plan's root node."""
    if conn.dialect.name == "sqlite":
        return [(r[0], r[1], r[3]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    (found,), = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).all()
    return (found if isinstance(found, list) else json.loads(found))[0]["Plan"]


def _one_persons_offers(node) -> bool:
    """The tasks offered to one person by name, found through the offers' index on the person
    (a handful at most, in no order worth keeping): bounded like a Limit."""
    return node.get("Relation Name") == "task_candidates" and "username" in node.get("Index Cond", "")


def _reads_unlimited(node) -> bool:
    """Does `node` read a big table by more than a key lookup, with no Limit between?"""
    if node["Node Type"] == "Limit" or _one_persons_offers(node):
        return False
    if node.get("Relation Name") in BIG_TABLES:
        return True
    return any(_reads_unlimited(child) for child in node.get("Plans", [])
               if not (node["Node Type"] == "Nested Loop" and child.get("Parent Relationship") == "Inner"))


def _pg_unindexed(node, parent=None) -> list:
    """Seq scans of big tables; sorts of rows read straight from one (a whole part sorted), but
    for the sort a GROUP BY makes and a sort of what Limits cut already."""
    found = []
    if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG_TABLES \
            and (parent or {}).get("Node Type") != "Limit":                   # a Limit stops it early
        found.append(("Seq Scan", node["Relation Name"]))
    if node["Node Type"] in ("Sort", "Incremental Sort") and (parent or {}).get("Node Type") != "Aggregate" \
            and any(_reads_unlimited(child) for child in node.get("Plans", [])):
        found.append((node["Node Type"], node.get("Sort Key")))
    for child in node.get("Plans", []):
        found += _pg_unindexed(child, node)
    return found


def unindexed(conn, statement: str, parameters) -> list:
    """Full scans of a big table, and sorts of a whole part, in a statement's plan. A scan in
    the list's own order that a LIMIT stops (newest first by an index or the rowid) is none."""
    if conn.dialect.name == "postgresql":
        return _pg_unindexed(plan(conn, statement, parameters))
    lines = plan(conn, statement, parameters)
    sorted_at = {parent for _i, parent, d in lines if "TEMP B-TREE FOR ORDER BY" in d}
    scans = [d for _i, parent, d in lines if d.split(" USING")[0] in {f"SCAN {t}" for t in BIG_TABLES}
             and not ("LIMIT" in statement.upper() and parent not in sorted_at)]   # an ordered walk that stops
    reading = {parent for _i, parent, d in lines if d.split(" ")[:2] in (["SEARCH", t] for t in BIG_TABLES)}
    return scans + [d for _i, parent, d in lines                      # the top may sort the page it read
                    if "TEMP B-TREE FOR ORDER BY" in d and parent in reading and parent != 0]


def explained(eng, seen: list) -> list:
    """(statement, what is unindexed in its plan) for each read that is not indexed."""
    with eng.db.connect() as conn:
        return [(s[:300], bad) for s, values in seen if (bad := unindexed(conn, s, values))]


@pytest.fixture
def big(db_url):
    """An engine over the bulk rows (whose instances hold no real state, so this engine is not
    the integration tests' checked one, which loads every running instance at the end)."""
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    add_org(eng)
    for name in ("max", "mia"):
        eng.add_user(name, groups=["manager"], department="north", reports_to="dan")
    eng.deploy(DATA / "review_loop")
    bulk_rows(eng)
    yield eng
    eng.close()


def explained_both_ways(eng, seen: list) -> list:
    """`explained`; on SQLite as a fresh database plans (no statistics), then after ANALYZE."""
    if eng.db.dialect.name != "sqlite":
        return explained(eng, seen)
    with eng.db.begin() as conn:
        conn.exec_driver_sql("DELETE FROM sqlite_stat1")
    fresh = explained(eng, seen)
    with eng.db.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return fresh + explained(eng, seen)


def test_the_admins_lists_read_their_indexes(big):
    with sent(big.db, selects_only=True) as seen:
        for status, search in ((None, None), ("running", None), (None, "Project 12"), ("completed", "Account 7"),
                               (None, "12")):
            first = big.lists.instances("zed", status, search, size=50)
            big.lists.instances("zed", status, search, cursor=first.next, size=50)
        later = big.lists.incidents("zed", size=20)
        big.lists.incidents("zed", open_only=False, cursor=later.next, size=20)
        page = big.notifications.page("zed", per_page=50)
        big.notifications.page("zed", status="failed", cursor=page.next, per_page=50)
    assert len(first.items) == 50 and len(later.items) == 20 and page.counts["sent"] > 10_000
    assert explained_both_ways(big, seen) == []


def test_the_inbox_reads_its_indexes_on_any_page_and_for_its_counts(big):
    with sent(big.db, selects_only=True) as seen:
        first = big.lists.inbox("bob")
        later = big.lists.inbox("bob", cursor=first.next)
        while later.next:                                      # on to the tasks without a due date
            later = big.lists.inbox("bob", cursor=later.next, size=100)
        back = big.lists.inbox("bob", cursor=later.previous)
        big.lists.inbox("bob", step="review", cursor=back.next)
        found = big.lists.inbox("bob", search="Project 12")               # a search: names met as the parts go
        big.lists.inbox("bob", search="Project 12", cursor=found.next)
        big.lists.inbox("rep7")
    assert later.tasks[-1].due is None and back.tasks and found.next
    assert {t.project_name[:10] for t in found.tasks} == {"Project 12"}
    assert explained_both_ways(big, seen) == []
    with big.db.connect() as conn:                             # and the check sees a full scan when there is one
        assert unindexed(conn, "SELECT id FROM tasks WHERE name <> 'x' ORDER BY name LIMIT 5", ())
    assert first.total == sum(1 for n in range(1, MINE + POOL + 1) if n % 10) and len(first.tasks) == 20


def test_a_groups_open_tasks_are_counted_from_their_own_index(big):
    with big.ctx.uow() as uow:      # one claimed (bob's), one unclaimed, one completed: a group is deleted only
        uow.session.execute(text("UPDATE tasks SET candidate_group = 'group:audit' "      # when none is open
                                 "WHERE id IN ('t2-1', 't2-401', 't2-410')"))
    with sent(big.db, selects_only=True) as seen, big.ctx.uow(read_only=True) as uow:
        assert open_tasks_of(uow.session, "audit") == 2
    (statement, values), = seen
    with big.db.connect() as conn:
        assert "ix_tasks_claimed_by_group" in json.dumps(plan(conn, statement, values))
    assert explained_both_ways(big, seen) == []
