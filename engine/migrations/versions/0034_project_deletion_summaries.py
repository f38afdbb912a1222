"""a deleted project takes its share out of the cycle-time summaries before its task rows cascade

Deleting an `instances` row failed on PostgreSQL: its task rows go by ON DELETE CASCADE, whose row
triggers (0027) fire only after every task row of the project and the project itself are gone. The
first one's recount forgot the project's `cycle_projects` row, and the next one found its process
neither there nor in `instances`: `null value in column "process_id" of relation "cycle_durations"`.
SQLite deletes and triggers the cascaded rows one at a time and came out right, by that accident.

Now, on both databases, as 0029 and 0030 do for the tallies: a trigger BEFORE an instance is deleted,
while the project and its rows still exist, takes its completed activations out of `cycle_durations`
(under the process its `cycle_projects` row counted them for), deletes its `cycle_steps` rows (their own
triggers take them out of `cycle_step_totals`) and its `cycle_projects` row. A task row deleted whose
project no longer exists is then skipped by the cycle triggers: its share is already gone. PostgreSQL
reads that from the project lock the trigger already takes; SQLite's delete trigger gains a WHEN. An
insert or update of a task row runs exactly what it ran before.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-03
"""
from alembic import op


revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

# --- a deleted project's share (OLD: its instances row) ---
UNCOUNT_DURATIONS = (
    "INSERT INTO cycle_durations (process_id, bpmn_id, bucket, completed) "
    "SELECT c.process_id, t.bpmn_id, CASE WHEN t.duration_us < 10 THEN 0 ELSE length(CAST(t.duration_us AS TEXT)) "
    "* 100 + CAST(substr(CAST(t.duration_us AS TEXT), 1, 2) AS INTEGER) END, -count(*) FROM tasks AS t "
    "JOIN cycle_projects AS c ON c.instance_id = t.instance_id WHERE t.instance_id = OLD.id "
    "AND t.duration_us IS NOT NULL GROUP BY 1, 2, 3 ON CONFLICT (process_id, bpmn_id, bucket) DO UPDATE SET "
    "completed = cycle_durations.completed + excluded.completed")
FORGET_STEPS = "DELETE FROM cycle_steps WHERE instance_id = OLD.id"
FORGET_PROJECT = "DELETE FROM cycle_projects WHERE instance_id = OLD.id"
TAKE_OUT = f"{UNCOUNT_DURATIONS}; {FORGET_STEPS}; {FORGET_PROJECT}"
GUARD = "EXISTS (SELECT 1 FROM instances WHERE id = OLD.instance_id)"

# --- 0027's statements for a deleted task row, as 0027 wrote them (R.: OLD) ---
COUNT_DURATION = (
    "INSERT INTO cycle_durations (process_id, bpmn_id, bucket, completed) "
    "SELECT coalesce((SELECT process_id FROM cycle_projects WHERE instance_id = R.instance_id), "
    "(SELECT process_id FROM instances WHERE id = R.instance_id)), R.bpmn_id, "
    "CASE WHEN R.duration_us < 10 THEN 0 ELSE length(CAST(R.duration_us AS TEXT)) * 100 "
    "+ CAST(substr(CAST(R.duration_us AS TEXT), 1, 2) AS INTEGER) END, :change "
    "WHERE R.duration_us IS NOT NULL AND :when "
    "ON CONFLICT (process_id, bpmn_id, bucket) DO UPDATE SET "
    "completed = cycle_durations.completed + excluded.completed")
RECOUNT_STEP = (
    "INSERT INTO cycle_steps (instance_id, bpmn_id, process_id, name, first_opened, last_opened, activations, "
    "open_count, rewound, cancelled, returns) "
    "SELECT t.instance_id, t.bpmn_id, coalesce((SELECT process_id FROM cycle_projects WHERE instance_id = "
    "R.instance_id), (SELECT process_id FROM instances WHERE id = R.instance_id)), "
    "(SELECT n.name FROM tasks AS n WHERE n.instance_id = R.instance_id AND n.bpmn_id = R.bpmn_id "
    "ORDER BY n.created_at DESC LIMIT 1), min(t.created_at), max(t.created_at), count(*), "
    "sum(CASE WHEN t.state = 'open' THEN 1 ELSE 0 END), sum(CASE WHEN t.state = 'rewound' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN t.state = 'cancelled' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN t.created_at >= (SELECT min(d.closed_at) FROM tasks AS d WHERE d.instance_id = R.instance_id "
    "AND d.bpmn_id = R.bpmn_id AND d.state = 'completed' AND d.closed_at IS NOT NULL) THEN 1 ELSE 0 END) "
    "FROM tasks AS t WHERE t.instance_id = R.instance_id AND t.bpmn_id = R.bpmn_id "
    "GROUP BY t.instance_id, t.bpmn_id ON CONFLICT (instance_id, bpmn_id) DO UPDATE SET "
    "process_id = excluded.process_id, name = excluded.name, first_opened = excluded.first_opened, "
    "last_opened = excluded.last_opened, activations = excluded.activations, open_count = excluded.open_count, "
    "rewound = excluded.rewound, cancelled = excluded.cancelled, returns = excluded.returns")
FORGET_STEP = ("DELETE FROM cycle_steps WHERE instance_id = R.instance_id AND bpmn_id = R.bpmn_id "
               "AND NOT EXISTS (SELECT 1 FROM tasks WHERE instance_id = R.instance_id AND bpmn_id = R.bpmn_id)")
SQLITE_RECOUNT_PROJECT = (
    "INSERT INTO cycle_projects (instance_id, process_id, first_opened, took_us) SELECT R.instance_id, "
    "coalesce((SELECT process_id FROM cycle_projects WHERE instance_id = R.instance_id), "
    "(SELECT process_id FROM instances WHERE id = R.instance_id)), p.first, "
    "CASE WHEN p.unfinished = 0 AND p.last_done = p.last THEN "
    "(strftime('%s', substr(p.last, 1, 19)) - strftime('%s', substr(p.first, 1, 19))) * 1000000 "
    "+ CAST(substr(p.last || '.000000', 21, 6) AS INTEGER) "
    "- CAST(substr(p.first || '.000000', 21, 6) AS INTEGER) END "
    "FROM (SELECT min(created_at) AS first, max(closed_at) AS last, "
    "max(CASE WHEN state = 'completed' THEN closed_at END) AS last_done, "
    "sum(CASE WHEN state = 'open' OR closed_at IS NULL THEN 1 ELSE 0 END) AS unfinished "
    "FROM tasks WHERE instance_id = R.instance_id) AS p WHERE p.first IS NOT NULL "
    "ON CONFLICT (instance_id) DO UPDATE SET process_id = excluded.process_id, "
    "first_opened = excluded.first_opened, took_us = excluded.took_us")
FORGET_TASKS_PROJECT = ("DELETE FROM cycle_projects WHERE instance_id = R.instance_id "
                        "AND NOT EXISTS (SELECT 1 FROM tasks WHERE instance_id = R.instance_id)")


def _for(statement: str, row: str, change: str = "1") -> str:
    """`statement` for the trigger's row `row` (OLD or NEW), `:change` being +1 or -1 (as in 0027)."""
    assert row in ("OLD", "NEW") and change in ("1", "-1")
    return statement.replace("R.", f"{row}.").replace(":change", change).replace(":when", "TRUE")


def _sqlite_task_deleted(guarded: bool) -> str:
    statements = [_for(COUNT_DURATION, "OLD", "-1"), *(_for(s, "OLD") for s in (
        RECOUNT_STEP, FORGET_STEP, SQLITE_RECOUNT_PROJECT, FORGET_TASKS_PROJECT))]
    when = f" WHEN {GUARD}" if guarded else ""
    return f"CREATE TRIGGER cycle_task_deleted AFTER DELETE ON tasks{when} BEGIN " + "; ".join(statements) + "; END"


def _postgresql_task_changed(guarded: bool) -> str:
    """0027's function; `guarded`: a deleted row whose project is gone (FOUND false) is skipped."""
    moved = "OLD.instance_id <> NEW.instance_id OR OLD.bpmn_id <> NEW.bpmn_id"
    changed = f"OLD.duration_us IS DISTINCT FROM NEW.duration_us OR {moved}"
    deleted = f"{_for(COUNT_DURATION, 'OLD', '-1')}; PERFORM cycle_recount(OLD); "
    return (
        "CREATE OR REPLACE FUNCTION cycle_task_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN "
        "PERFORM 1 FROM instances WHERE id = NEW.instance_id FOR NO KEY UPDATE; "
        f"{_for(COUNT_DURATION, 'NEW')}; PERFORM cycle_recount(NEW); "
        "ELSIF TG_OP = 'DELETE' THEN "
        "PERFORM 1 FROM instances WHERE id = OLD.instance_id FOR NO KEY UPDATE; "
        f"{f'IF FOUND THEN {deleted}END IF; ' if guarded else deleted}"
        "ELSE "
        "PERFORM 1 FROM instances WHERE id IN (OLD.instance_id, NEW.instance_id) ORDER BY id FOR NO KEY UPDATE; "
        f"IF {changed} THEN {_for(COUNT_DURATION, 'OLD', '-1')}; {_for(COUNT_DURATION, 'NEW')}; END IF; "
        f"PERFORM cycle_recount(NEW); IF {moved} THEN PERFORM cycle_recount(OLD); END IF; "
        "END IF; RETURN NULL; END $$")


UPGRADE = {
    'sqlite': [
        "DROP TRIGGER cycle_task_deleted", _sqlite_task_deleted(guarded=True),
        f"CREATE TRIGGER cycle_project_deleted BEFORE DELETE ON instances BEGIN {TAKE_OUT}; END",
    ],
    'postgresql': [
        _postgresql_task_changed(guarded=True),
        "CREATE FUNCTION cycle_project_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{TAKE_OUT}; RETURN OLD; END $$",
        "CREATE TRIGGER cycle_project_deleted BEFORE DELETE ON instances FOR EACH ROW "
        "EXECUTE FUNCTION cycle_project_deleted()",
    ],
}
DOWNGRADE = {
    'sqlite': ["DROP TRIGGER cycle_project_deleted", "DROP TRIGGER cycle_task_deleted",
               _sqlite_task_deleted(guarded=False)],
    'postgresql': ["DROP TRIGGER cycle_project_deleted ON instances", "DROP FUNCTION cycle_project_deleted()",
                   _postgresql_task_changed(guarded=False)],
}


def upgrade() -> None:
    conn = op.get_bind()
    for statement in UPGRADE[conn.dialect.name]:
        conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    for statement in DOWNGRADE[conn.dialect.name]:
        conn.exec_driver_sql(statement)
