"""on PostgreSQL, a project's steps and time end to end are counted again when its transaction commits

0027's trigger counted a project's steps and its time end to end again after every statement that
wrote one of its tasks. A step writes two: the task it completes (UPDATE), then the one it opens
(INSERT). Between the two the project had no open task and so looked finished: its time was set,
moved the project to a finished bucket of `cycle_project_months` (0043), and the INSERT moved it back.
Two projects whose rows share a bucket and shard took those rows in opposite orders, and deadlocked:
PostgreSQL's detector waits a second before it ends one (measured: approvals over HTTP fell from 70
to 25 a second when the four benchmark projects happened to share a shard).

The trigger is now a constraint trigger deferred to the commit, on PostgreSQL: it counts each changed
task once the step's rows are all written, so a project that goes on is never seen finished, and the
summaries' rows are held only from the commit's start to its end. Before it, another deferred trigger
takes a lock on the project's shard (its id's first hex digit; `pg_advisory_xact_lock`): every
summary row a recount writes is of that shard or not shared between projects' steps, so two commits
that could take the same rows in opposite orders (a return beside a resubmission) queue instead.
Timer batches fire their instances in id order, so they take the shards' locks in one order too.
SQLite has one writer at a time and no deferred triggers; it keeps 0035's.

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-04
"""
from alembic import op


revision = '0045'
down_revision = '0044'
branch_labels = None
depends_on = None

TASK_COLUMNS = "instance_id, bpmn_id, state, created_at, closed_at, name, duration_us"     # as 0027


SHARD_LOCK = 7_317_004      # the first key of the shard locks; 7_317_003 is the deploys' (db/locks.py)
_LOCK_SHARDS = [
    # only this module's constants are put in
    "CREATE FUNCTION cycle_shard_locked() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # nosec B608
    f"PERFORM pg_advisory_xact_lock({SHARD_LOCK}, ascii(s)) FROM (SELECT DISTINCT substr(i, 1, 1) AS s FROM "
    "unnest(ARRAY[CASE WHEN TG_OP <> 'INSERT' THEN OLD.instance_id END, "
    "CASE WHEN TG_OP <> 'DELETE' THEN NEW.instance_id END]) AS i WHERE i IS NOT NULL ORDER BY 1) AS shards; "
    "RETURN NULL; END $$",
    "CREATE CONSTRAINT TRIGGER cycle_shard_locked AFTER INSERT OR DELETE ON tasks DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION cycle_shard_locked()",
    "CREATE CONSTRAINT TRIGGER cycle_shard_locked_by_update AFTER UPDATE OF {columns} ON tasks "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cycle_shard_locked()",
]


def _triggers(kind: str) -> list[str]:
    return [
        "DROP TRIGGER cycle_task_written ON tasks",
        "DROP TRIGGER cycle_task_updated ON tasks",
        f"CREATE {kind} cycle_task_written AFTER INSERT OR DELETE ON tasks {{when}} "
        "FOR EACH ROW EXECUTE FUNCTION cycle_task_changed()",
        f"CREATE {kind} cycle_task_updated AFTER UPDATE OF {TASK_COLUMNS} ON tasks {{when}} "
        "FOR EACH ROW EXECUTE FUNCTION cycle_task_changed()",
    ]


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'postgresql':
        for statement in _triggers("CONSTRAINT TRIGGER"):
            conn.exec_driver_sql(statement.format(when="DEFERRABLE INITIALLY DEFERRED"))
        for statement in _LOCK_SHARDS:     # named so that they fire first for each row (alphabetical order)
            conn.exec_driver_sql(statement.format(columns=TASK_COLUMNS))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'postgresql':
        for statement in ("DROP TRIGGER cycle_shard_locked ON tasks", "DROP TRIGGER cycle_shard_locked_by_update ON tasks",
                          "DROP FUNCTION cycle_shard_locked()"):
            conn.exec_driver_sql(statement)
        for statement in _triggers("TRIGGER"):
            conn.exec_driver_sql(statement.format(when=""))
