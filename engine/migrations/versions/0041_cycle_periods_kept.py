"""the cycle-time summaries a period reads: counts kept by month, each project's last opening

With a period, cycle time for a viewer who sees every project read every activation opened in it
(the committee since mid-June at 100,000 projects: 246,000 activations, 2.2 s on PostgreSQL and 3.7 s
on SQLite). It now reads what the database keeps (engine/reports/kept_period.py):
- `cycle_step_months`: `cycle_steps`' counts summed per process, step, month of the project-step's
  first opening and shard (the project id's first two hex digits, as 0028 shards the totals), kept by
  triggers on `cycle_steps` beside 0027's;
- `cycle_duration_months`: completed activations per process, step, month of opening and duration
  bucket, kept by triggers on `tasks` as 0027 keeps `cycle_durations`;
- `cycle_projects.last_opened`: a project's last opening, so the projects wholly inside a period are
  read by `ix_cycle_projects_period` and those straddling its start or end found by it and
  `ix_cycle_projects_last`. The stored recounts (SQLite's trigger texts, PostgreSQL's `cycle_recount`)
  are rewritten in place to keep it, the only change to them;
- `ix_cycle_steps_opened` (every count, by opening) reads a period's partial first and last months of
  `cycle_steps`; `ix_tasks_opened` gains the step, the time and the project, so the partial months of
  `tasks` are read from it alone, and `ix_tasks_durations` the opening time, so a bucket's values in a
  period are.
A deleted project takes its month counts out in 0034's trigger, now first.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

from engine.db.utc_time import UTCDateTime


revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None

MONTH = {'sqlite': "substr({}, 1, 7)", 'postgresql': "to_char({}, 'YYYY-MM')"}
BUCKET = ("CASE WHEN {0} < 10 THEN 0 ELSE length(CAST({0} AS TEXT)) * 100 "
          "+ CAST(substr(CAST({0} AS TEXT), 1, 2) AS INTEGER) END")      # as 0027 and reports.buckets
COUNTS = ("activations", "open_count", "rewound", "cancelled", "returns")

# --- the project recount (0027) keeps the last opening too: each edit found exactly once ---
RECOUNT_EDITS = [
    ("INSERT INTO cycle_projects (instance_id, process_id, first_opened, took_us)",
     "INSERT INTO cycle_projects (instance_id, process_id, first_opened, last_opened, took_us)"),
    ("p.first, CASE WHEN", "p.first, p.last_opened, CASE WHEN"),
    ("FROM (SELECT min(created_at) AS first, max(closed_at) AS last,",
     "FROM (SELECT min(created_at) AS first, max(created_at) AS last_opened, max(closed_at) AS last,"),
    ("first_opened = excluded.first_opened, took_us = excluded.took_us",
     "first_opened = excluded.first_opened, last_opened = excluded.last_opened, took_us = excluded.took_us"),
]
SQLITE_RECOUNTS = ("cycle_task_inserted", "cycle_task_updated", "cycle_task_moved", "cycle_task_deleted")


def _add_to_months(dialect: str, row: str, change: str) -> str:
    """A `cycle_steps` row's counts (`row`: OLD or NEW) added to (+1) or taken from (-1) its month."""
    r = row
    values = ", ".join(f"{change} * {r}.{c}" for c in COUNTS)
    sums = ", ".join(f"{c} = cycle_step_months.{c} + excluded.{c}" for c in COUNTS)
    # only this module's constants are put in
    return (f"INSERT INTO cycle_step_months (process_id, bpmn_id, month, shard, {', '.join(COUNTS)}) "  # nosec B608
            f"VALUES ({r}.process_id, {r}.bpmn_id, {MONTH[dialect].format(f'{r}.first_opened')}, "
            f"substr({r}.instance_id, 1, 2), {values}) "
            f"ON CONFLICT (process_id, bpmn_id, month, shard) DO UPDATE SET {sums}")


def _count_duration(dialect: str, row: str, change: str) -> str:
    """A completed task row's time (`row`: OLD or NEW) counted in (+1) or out of (-1) its month's bucket."""
    r = row
    # only this module's constants are put in
    return ("INSERT INTO cycle_duration_months (process_id, bpmn_id, month, bucket, completed) "  # nosec B608
            f"SELECT coalesce((SELECT process_id FROM cycle_projects WHERE instance_id = {r}.instance_id), "
            f"(SELECT process_id FROM instances WHERE id = {r}.instance_id)), {r}.bpmn_id, "
            f"{MONTH[dialect].format(f'{r}.created_at')}, {BUCKET.format(f'{r}.duration_us')}, {change} "
            f"WHERE {r}.duration_us IS NOT NULL "
            "ON CONFLICT (process_id, bpmn_id, month, bucket) DO UPDATE SET "
            "completed = cycle_duration_months.completed + excluded.completed")


def _uncount_project(dialect: str) -> str:
    """A deleted project's (OLD: its instances row) completed activations out of their months."""
    # only this module's constants are put in
    return ("INSERT INTO cycle_duration_months (process_id, bpmn_id, month, bucket, completed) "  # nosec B608
            f"SELECT c.process_id, t.bpmn_id, {MONTH[dialect].format('t.created_at')}, "
            f"{BUCKET.format('t.duration_us')}, -count(*) FROM tasks AS t "
            "JOIN cycle_projects AS c ON c.instance_id = t.instance_id WHERE t.instance_id = OLD.id "
            "AND t.duration_us IS NOT NULL GROUP BY 1, 2, 3, 4 ON CONFLICT (process_id, bpmn_id, month, bucket) "
            "DO UPDATE SET completed = cycle_duration_months.completed + excluded.completed")


# 0034's share of a deleted project, as 0034 wrote it (the months go first, while its rows exist)
TAKE_OUT_0034 = (
    "INSERT INTO cycle_durations (process_id, bpmn_id, bucket, completed) "
    "SELECT c.process_id, t.bpmn_id, CASE WHEN t.duration_us < 10 THEN 0 ELSE length(CAST(t.duration_us AS TEXT)) "
    "* 100 + CAST(substr(CAST(t.duration_us AS TEXT), 1, 2) AS INTEGER) END, -count(*) FROM tasks AS t "
    "JOIN cycle_projects AS c ON c.instance_id = t.instance_id WHERE t.instance_id = OLD.id "
    "AND t.duration_us IS NOT NULL GROUP BY 1, 2, 3 ON CONFLICT (process_id, bpmn_id, bucket) DO UPDATE SET "
    "completed = cycle_durations.completed + excluded.completed; "
    "DELETE FROM cycle_steps WHERE instance_id = OLD.id; DELETE FROM cycle_projects WHERE instance_id = OLD.id")
RETIMED = {'sqlite': "OLD.duration_us IS NOT NEW.duration_us OR OLD.created_at IS NOT NEW.created_at "
                     "OR OLD.instance_id IS NOT NEW.instance_id OR OLD.bpmn_id IS NOT NEW.bpmn_id",
           'postgresql': "OLD.duration_us IS DISTINCT FROM NEW.duration_us OR OLD.created_at <> NEW.created_at "
                         "OR OLD.instance_id <> NEW.instance_id OR OLD.bpmn_id <> NEW.bpmn_id"}
# PostgreSQL fires UPDATE OF only for the columns an UPDATE names, not for `duration_us` its BEFORE
# trigger (0023) sets: the columns that set it are listed too
RETIMING_COLUMNS = "instance_id, bpmn_id, state, created_at, closed_at, duration_us"
PROJECT_EXISTS = "EXISTS (SELECT 1 FROM instances WHERE id = OLD.instance_id)"


def _sqlite_triggers(taken_out: str) -> list[str]:
    def trigger(name, when, statements):
        return f"CREATE TRIGGER {name} {when} BEGIN " + "; ".join(statements) + "; END"
    d = 'sqlite'
    return [
        trigger("cycle_step_months_added", "AFTER INSERT ON cycle_steps", [_add_to_months(d, "NEW", "1")]),
        trigger("cycle_step_months_changed", "AFTER UPDATE ON cycle_steps",
                [_add_to_months(d, "OLD", "-1"), _add_to_months(d, "NEW", "1")]),
        trigger("cycle_step_months_removed", "AFTER DELETE ON cycle_steps", [_add_to_months(d, "OLD", "-1")]),
        trigger("cycle_month_task_inserted", "AFTER INSERT ON tasks", [_count_duration(d, "NEW", "1")]),
        trigger("cycle_month_task_deleted", f"AFTER DELETE ON tasks WHEN {PROJECT_EXISTS}",
                [_count_duration(d, "OLD", "-1")]),
        trigger("cycle_month_task_updated", f"AFTER UPDATE OF {RETIMING_COLUMNS} ON tasks "
                f"WHEN {RETIMED[d]}", [_count_duration(d, "OLD", "-1"), _count_duration(d, "NEW", "1")]),
        "DROP TRIGGER cycle_project_deleted",
        f"CREATE TRIGGER cycle_project_deleted BEFORE DELETE ON instances BEGIN {taken_out}; END",
    ]


def _postgresql_triggers(taken_out: str) -> list[str]:
    d = 'postgresql'
    return [
        "CREATE FUNCTION cycle_step_months_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {_add_to_months(d, 'OLD', '-1')}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_add_to_months(d, 'NEW', '1')}; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER cycle_step_months_changed AFTER INSERT OR UPDATE OR DELETE ON cycle_steps "
        "FOR EACH ROW EXECUTE FUNCTION cycle_step_months_changed()",
        "CREATE FUNCTION cycle_month_task_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'INSERT' THEN {_count_duration(d, 'NEW', '1')}; "
        f"ELSIF TG_OP = 'DELETE' THEN IF {PROJECT_EXISTS} THEN {_count_duration(d, 'OLD', '-1')}; END IF; "
        f"ELSIF {RETIMED[d]} THEN {_count_duration(d, 'OLD', '-1')}; {_count_duration(d, 'NEW', '1')}; "
        "END IF; RETURN NULL; END $$",
        "CREATE TRIGGER cycle_month_task_written AFTER INSERT OR DELETE ON tasks "
        "FOR EACH ROW EXECUTE FUNCTION cycle_month_task_changed()",
        f"CREATE TRIGGER cycle_month_task_updated AFTER UPDATE OF {RETIMING_COLUMNS} "
        "ON tasks FOR EACH ROW EXECUTE FUNCTION cycle_month_task_changed()",
        "CREATE OR REPLACE FUNCTION cycle_project_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{taken_out}; RETURN OLD; END $$",
    ]


def _fill(dialect: str) -> list[str]:
    counts = ", ".join(COUNTS)
    return [
        "UPDATE cycle_projects SET last_opened = (SELECT max(s.last_opened) FROM cycle_steps AS s "
        "WHERE s.instance_id = cycle_projects.instance_id)",
        # only this module's constants are put in
        f"INSERT INTO cycle_step_months (process_id, bpmn_id, month, shard, {counts}) "  # nosec B608
        f"SELECT process_id, bpmn_id, {MONTH[dialect].format('first_opened')}, substr(instance_id, 1, 2), "
        f"{', '.join(f'sum({c})' for c in COUNTS)} FROM cycle_steps GROUP BY 1, 2, 3, 4",
        # only this module's constants are put in
        "INSERT INTO cycle_duration_months (process_id, bpmn_id, month, bucket, completed) "  # nosec B608
        f"SELECT c.process_id, t.bpmn_id, {MONTH[dialect].format('t.created_at')}, "
        f"{BUCKET.format('t.duration_us')}, count(*) FROM tasks AS t "
        "JOIN cycle_projects AS c ON c.instance_id = t.instance_id WHERE t.duration_us IS NOT NULL GROUP BY 1, 2, 3, 4",
    ]


def _edit_recounts(conn, edits) -> None:
    """The stored project recounts rewritten in place, each edit found exactly once in each."""
    if conn.dialect.name == 'sqlite':
        for name in SQLITE_RECOUNTS:
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                       (name,)).scalar_one()
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
            conn.exec_driver_sql(_edited(name, sql, edits))
    else:
        sql = conn.exec_driver_sql("SELECT pg_get_functiondef('cycle_recount(tasks)'::regprocedure)").scalar_one()
        conn.exec_driver_sql(_edited("cycle_recount", sql, edits))


def _edited(name: str, sql: str, edits) -> str:
    for old, new in edits:
        assert sql.count(old) == 1, f"{name}: expected one {old!r}"
        sql = sql.replace(old, new)
    return sql


def _create_tables() -> None:
    process, step = sa.String(length=200), sa.String(length=200)
    op.create_table('cycle_step_months', sa.Column('process_id', process, nullable=False),
                    sa.Column('bpmn_id', step, nullable=False), sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('shard', sa.String(length=2), nullable=False),
                    *[sa.Column(c, sa.BigInteger(), nullable=False) for c in COUNTS],
                    sa.PrimaryKeyConstraint('process_id', 'bpmn_id', 'month', 'shard'))
    op.create_table('cycle_duration_months', sa.Column('process_id', process, nullable=False),
                    sa.Column('bpmn_id', step, nullable=False), sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('bucket', sa.Integer(), nullable=False),
                    sa.Column('completed', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('process_id', 'bpmn_id', 'month', 'bucket'))
    op.add_column('cycle_projects', sa.Column('last_opened', UTCDateTime(), nullable=True))


INDEXES = [
    ('ix_cycle_projects_period', 'cycle_projects', ['process_id', 'first_opened', 'last_opened', 'took_us']),
    ('ix_cycle_projects_last', 'cycle_projects', ['process_id', 'last_opened', 'first_opened']),
    ('ix_cycle_steps_opened', 'cycle_steps', ['process_id', 'first_opened', 'bpmn_id', *COUNTS]),
]
WIDENED = [  # name, table, columns before, columns now
    ('ix_tasks_opened', 'tasks', ['created_at'], ['created_at', 'bpmn_id', 'duration_us', 'instance_id']),
    ('ix_tasks_durations', 'tasks', ['bpmn_id', 'duration_us', 'instance_id'],
     ['bpmn_id', 'duration_us', 'created_at', 'instance_id']),
]


def upgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    _create_tables()
    _edit_recounts(conn, RECOUNT_EDITS)
    for statement in _fill(dialect):
        conn.exec_driver_sql(statement)
    triggers = _sqlite_triggers if dialect == 'sqlite' else _postgresql_triggers
    for statement in triggers(f"{_uncount_project(dialect)}; {TAKE_OUT_0034}"):
        conn.exec_driver_sql(statement)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for name, table, _before, now in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, now)


def downgrade() -> None:
    conn = op.get_bind()
    for name, table, before, _now in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before)
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    if conn.dialect.name == 'sqlite':
        for name in ("cycle_step_months_added", "cycle_step_months_changed", "cycle_step_months_removed",
                     "cycle_month_task_inserted", "cycle_month_task_deleted", "cycle_month_task_updated",
                     "cycle_project_deleted"):
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        conn.exec_driver_sql("CREATE TRIGGER cycle_project_deleted BEFORE DELETE ON instances "
                             f"BEGIN {TAKE_OUT_0034}; END")
    else:
        for statement in ("DROP TRIGGER cycle_step_months_changed ON cycle_steps",
                          "DROP TRIGGER cycle_month_task_written ON tasks",
                          "DROP TRIGGER cycle_month_task_updated ON tasks",
                          "DROP FUNCTION cycle_step_months_changed()", "DROP FUNCTION cycle_month_task_changed()",
                          "CREATE OR REPLACE FUNCTION cycle_project_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ "
                          f"BEGIN {TAKE_OUT_0034}; RETURN OLD; END $$"):
            conn.exec_driver_sql(statement)
    _edit_recounts(conn, [(new, old) for old, new in RECOUNT_EDITS])
    op.drop_column('cycle_projects', 'last_opened')
    op.drop_table('cycle_duration_months')
    op.drop_table('cycle_step_months')
