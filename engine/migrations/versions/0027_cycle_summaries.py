"""the cycle-time report's summaries, kept by the database as task rows change

For a viewer who sees every project (the committee: 1.1M activations at 100,000 projects) the report
read every activation three ways (first completions, ranks, end to end): 5-9 s. It now reads what
`engine/db/cycle_summaries.py` describes: per project and step (`cycle_steps`) and per process and step
(`cycle_step_totals`) the counts and returns, per project its time end to end (`cycle_projects`), per
process, step and duration bucket how many completed activations took that long (`cycle_durations`),
and `ix_tasks_durations` (step, time) to read one bucket's values. Triggers keep them on both databases
whoever writes a task row; each recounts the changed row's project and step from its own rows
(`ix_tasks_cycle`), so a recount is never wrong by what it missed. On PostgreSQL a recount first locks
the project's instance row, as every engine write already does (engine/db/locks.py), so two
transactions never recount one project from two snapshots. Older rows are filled here.

The SQLite triggers repeat one statement for the row before (OLD) and after (NEW) a change: the
statement is written once with `R.` for the row and the trigger's text names OLD or NEW in its place.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

from engine.db.utc_time import UTCDateTime


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

# A bucket as reports.buckets.bucket computes it (`R.duration_us` in a trigger; tested against it)
BUCKET_OF = ("SELECT CASE WHEN v.d < 10 THEN 0 ELSE length(CAST(v.d AS TEXT)) * 100 "
             "+ CAST(substr(CAST(v.d AS TEXT), 1, 2) AS INTEGER) END FROM (SELECT CAST(:d AS BIGINT) AS d) AS v")
FILL_PROJECTS = {       # the time end to end as migration 0023 computes a task's duration
    'sqlite': (
        "INSERT INTO cycle_projects (instance_id, process_id, first_opened, took_us) "
        "SELECT p.instance_id, i.process_id, p.first, CASE WHEN p.unfinished = 0 AND p.last_done = p.last THEN "
        "(strftime('%s', substr(p.last, 1, 19)) - strftime('%s', substr(p.first, 1, 19))) * 1000000 "
        "+ CAST(substr(p.last || '.000000', 21, 6) AS INTEGER) "
        "- CAST(substr(p.first || '.000000', 21, 6) AS INTEGER) END "
        "FROM (SELECT instance_id, min(created_at) AS first, max(closed_at) AS last, "
        "max(CASE WHEN state = 'completed' THEN closed_at END) AS last_done, "
        "sum(CASE WHEN state = 'open' OR closed_at IS NULL THEN 1 ELSE 0 END) AS unfinished "
        "FROM tasks GROUP BY instance_id) AS p JOIN instances AS i ON i.id = p.instance_id"),
    'postgresql': (
        "INSERT INTO cycle_projects (instance_id, process_id, first_opened, took_us) "
        "SELECT p.instance_id, i.process_id, p.first, CASE WHEN p.unfinished = 0 AND p.last_done = p.last THEN "
        "round(extract(epoch FROM p.last - p.first) * 1000000)::bigint END "
        "FROM (SELECT instance_id, min(created_at) AS first, max(closed_at) AS last, "
        "max(CASE WHEN state = 'completed' THEN closed_at END) AS last_done, "
        "sum(CASE WHEN state = 'open' OR closed_at IS NULL THEN 1 ELSE 0 END) AS unfinished "
        "FROM tasks GROUP BY instance_id) AS p JOIN instances AS i ON i.id = p.instance_id"),
}
FILL_REST = [
    "INSERT INTO cycle_steps (instance_id, bpmn_id, process_id, name, first_opened, last_opened, activations, "
    "open_count, rewound, cancelled, returns) "
    "SELECT t.instance_id, t.bpmn_id, c.process_id, (SELECT n.name FROM tasks AS n WHERE n.instance_id = "
    "t.instance_id AND n.bpmn_id = t.bpmn_id ORDER BY n.created_at DESC LIMIT 1), min(t.created_at), "
    "max(t.created_at), count(*), sum(CASE WHEN t.state = 'open' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN t.state = 'rewound' THEN 1 ELSE 0 END), sum(CASE WHEN t.state = 'cancelled' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN t.created_at >= f.first_done THEN 1 ELSE 0 END) "
    "FROM tasks AS t JOIN cycle_projects AS c ON c.instance_id = t.instance_id "
    "LEFT JOIN (SELECT instance_id, bpmn_id, min(closed_at) AS first_done FROM tasks "
    "WHERE state = 'completed' AND closed_at IS NOT NULL GROUP BY instance_id, bpmn_id) AS f "
    "ON f.instance_id = t.instance_id AND f.bpmn_id = t.bpmn_id "
    "GROUP BY t.instance_id, t.bpmn_id, c.process_id",
    "INSERT INTO cycle_step_totals (process_id, bpmn_id, activations, open_count, rewound, cancelled, returns) "
    "SELECT process_id, bpmn_id, sum(activations), sum(open_count), sum(rewound), sum(cancelled), sum(returns) "
    "FROM cycle_steps GROUP BY process_id, bpmn_id",
    "INSERT INTO cycle_durations (process_id, bpmn_id, bucket, completed) "
    "SELECT c.process_id, t.bpmn_id, CASE WHEN t.duration_us < 10 THEN 0 ELSE length(CAST(t.duration_us AS TEXT)) "
    "* 100 + CAST(substr(CAST(t.duration_us AS TEXT), 1, 2) AS INTEGER) END, count(*) FROM tasks AS t "
    "JOIN cycle_projects AS c ON c.instance_id = t.instance_id WHERE t.duration_us IS NOT NULL "
    "GROUP BY 1, 2, 3",
]


# --- the statements a trigger runs for one task row R (SQLite: OLD or NEW put in for `R.`) ---
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
RECOUNT_PROJECT = {
    'sqlite': (
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
        "first_opened = excluded.first_opened, took_us = excluded.took_us"),
    'postgresql': (
        "INSERT INTO cycle_projects (instance_id, process_id, first_opened, took_us) SELECT R.instance_id, "
        "coalesce((SELECT process_id FROM cycle_projects WHERE instance_id = R.instance_id), "
        "(SELECT process_id FROM instances WHERE id = R.instance_id)), p.first, "
        "CASE WHEN p.unfinished = 0 AND p.last_done = p.last THEN "
        "round(extract(epoch FROM p.last - p.first) * 1000000)::bigint END "
        "FROM (SELECT min(created_at) AS first, max(closed_at) AS last, "
        "max(CASE WHEN state = 'completed' THEN closed_at END) AS last_done, "
        "sum(CASE WHEN state = 'open' OR closed_at IS NULL THEN 1 ELSE 0 END) AS unfinished "
        "FROM tasks WHERE instance_id = R.instance_id) AS p WHERE p.first IS NOT NULL "
        "ON CONFLICT (instance_id) DO UPDATE SET process_id = excluded.process_id, "
        "first_opened = excluded.first_opened, took_us = excluded.took_us"),
}
FORGET_PROJECT = ("DELETE FROM cycle_projects WHERE instance_id = R.instance_id "
                  "AND NOT EXISTS (SELECT 1 FROM tasks WHERE instance_id = R.instance_id)")
ADD_TO_TOTALS = (
    "INSERT INTO cycle_step_totals (process_id, bpmn_id, activations, open_count, rewound, cancelled, returns) "
    "VALUES (R.process_id, R.bpmn_id, :change * R.activations, :change * R.open_count, :change * R.rewound, "
    ":change * R.cancelled, :change * R.returns) ON CONFLICT (process_id, bpmn_id) DO UPDATE SET "
    "activations = cycle_step_totals.activations + excluded.activations, "
    "open_count = cycle_step_totals.open_count + excluded.open_count, "
    "rewound = cycle_step_totals.rewound + excluded.rewound, "
    "cancelled = cycle_step_totals.cancelled + excluded.cancelled, "
    "returns = cycle_step_totals.returns + excluded.returns")
TASK_COLUMNS = "instance_id, bpmn_id, state, created_at, closed_at, name, duration_us"
MOVED = "OLD.instance_id IS NOT NEW.instance_id OR OLD.bpmn_id IS NOT NEW.bpmn_id"


MOVED_OR_RETIMED = f"(OLD.duration_us IS NOT NEW.duration_us OR {MOVED})"


def _for(statement: str, row: str, change: str = "1", when: str = "TRUE") -> str:
    """`statement` for the trigger's row `row` (OLD or NEW), `:change` being +1 or -1; the only text
    put in is one of these constants."""
    assert row in ("OLD", "NEW", "task") and change in ("1", "-1") and when in ("TRUE", MOVED_OR_RETIMED)
    return statement.replace("R.", f"{row}.").replace(":change", change).replace(":when", when)


def _recount(dialect: str, row: str) -> list[str]:
    return [_for(RECOUNT_STEP, row), _for(FORGET_STEP, row), _for(RECOUNT_PROJECT[dialect], row),
            _for(FORGET_PROJECT, row)]


def _sqlite_triggers() -> list[str]:
    def trigger(name, when, statements):
        return f"CREATE TRIGGER {name} {when} BEGIN " + "; ".join(statements) + "; END"
    return [
        trigger("cycle_task_inserted", "AFTER INSERT ON tasks",
                [_for(COUNT_DURATION, "NEW"), *_recount('sqlite', "NEW")]),
        trigger("cycle_task_deleted", "AFTER DELETE ON tasks",
                [_for(COUNT_DURATION, "OLD", "-1"), *_recount('sqlite', "OLD")]),
        trigger("cycle_task_updated", f"AFTER UPDATE OF {TASK_COLUMNS} ON tasks",
                [_for(COUNT_DURATION, "OLD", "-1", MOVED_OR_RETIMED), _for(COUNT_DURATION, "NEW", "1", MOVED_OR_RETIMED),
                 *_recount('sqlite', "NEW")]),
        trigger("cycle_task_moved", f"AFTER UPDATE OF instance_id, bpmn_id ON tasks WHEN {MOVED}",
                _recount('sqlite', "OLD")),
        trigger("cycle_step_added", "AFTER INSERT ON cycle_steps", [_for(ADD_TO_TOTALS, "NEW")]),
        trigger("cycle_step_changed", "AFTER UPDATE ON cycle_steps",
                [_for(ADD_TO_TOTALS, "OLD", "-1"), _for(ADD_TO_TOTALS, "NEW")]),
        trigger("cycle_step_removed", "AFTER DELETE ON cycle_steps", [_for(ADD_TO_TOTALS, "OLD", "-1")]),
    ]


def _postgresql_triggers() -> list[str]:
    moved = "OLD.instance_id <> NEW.instance_id OR OLD.bpmn_id <> NEW.bpmn_id"
    changed = f"OLD.duration_us IS DISTINCT FROM NEW.duration_us OR {moved}"
    recount = "; ".join(_recount('postgresql', "task"))
    return [
        "CREATE FUNCTION cycle_recount(task tasks) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
        f"{recount}; END $$",
        "CREATE FUNCTION cycle_task_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN "
        "PERFORM 1 FROM instances WHERE id = NEW.instance_id FOR NO KEY UPDATE; "
        f"{_for(COUNT_DURATION, 'NEW')}; PERFORM cycle_recount(NEW); "
        "ELSIF TG_OP = 'DELETE' THEN "
        "PERFORM 1 FROM instances WHERE id = OLD.instance_id FOR NO KEY UPDATE; "
        f"{_for(COUNT_DURATION, 'OLD', '-1')}; PERFORM cycle_recount(OLD); "
        "ELSE "
        "PERFORM 1 FROM instances WHERE id IN (OLD.instance_id, NEW.instance_id) ORDER BY id FOR NO KEY UPDATE; "
        f"IF {changed} THEN {_for(COUNT_DURATION, 'OLD', '-1')}; {_for(COUNT_DURATION, 'NEW')}; END IF; "
        f"PERFORM cycle_recount(NEW); IF {moved} THEN PERFORM cycle_recount(OLD); END IF; "
        "END IF; RETURN NULL; END $$",
        "CREATE TRIGGER cycle_task_written AFTER INSERT OR DELETE ON tasks "
        "FOR EACH ROW EXECUTE FUNCTION cycle_task_changed()",
        f"CREATE TRIGGER cycle_task_updated AFTER UPDATE OF {TASK_COLUMNS} ON tasks "
        "FOR EACH ROW EXECUTE FUNCTION cycle_task_changed()",
        "CREATE FUNCTION cycle_step_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {_for(ADD_TO_TOTALS, 'OLD', '-1')}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_for(ADD_TO_TOTALS, 'NEW')}; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER cycle_step_changed AFTER INSERT OR UPDATE OR DELETE ON cycle_steps "
        "FOR EACH ROW EXECUTE FUNCTION cycle_step_changed()",
    ]


TRIGGERS = {'sqlite': _sqlite_triggers, 'postgresql': _postgresql_triggers}
DROP_TRIGGERS = {
    'sqlite': ["DROP TRIGGER cycle_task_inserted", "DROP TRIGGER cycle_task_deleted", "DROP TRIGGER cycle_task_updated",
               "DROP TRIGGER cycle_task_moved", "DROP TRIGGER cycle_step_added", "DROP TRIGGER cycle_step_changed",
               "DROP TRIGGER cycle_step_removed"],
    'postgresql': ["DROP TRIGGER cycle_task_written ON tasks", "DROP TRIGGER cycle_task_updated ON tasks",
                   "DROP TRIGGER cycle_step_changed ON cycle_steps", "DROP FUNCTION cycle_task_changed()",
                   "DROP FUNCTION cycle_recount(tasks)", "DROP FUNCTION cycle_step_changed()"],
}
TABLES = ('cycle_durations', 'cycle_projects', 'cycle_step_totals', 'cycle_steps')


def fill(conn) -> None:
    """The summaries of every task row written before."""
    for statement in [FILL_PROJECTS[conn.dialect.name], *FILL_REST]:
        conn.exec_driver_sql(statement)


def keep(conn) -> None:
    for statement in TRIGGERS[conn.dialect.name]():
        conn.exec_driver_sql(statement)


def stop_keeping(conn) -> None:
    for statement in DROP_TRIGGERS[conn.dialect.name]:
        conn.exec_driver_sql(statement)


def _create_tables() -> None:
    key, process, step = sa.String(length=36), sa.String(length=200), sa.String(length=200)
    counts = [sa.Column(c, sa.Integer(), nullable=False) for c in ('activations', 'open_count', 'rewound',
                                                                 'cancelled', 'returns')]
    op.create_table('cycle_steps', sa.Column('instance_id', key, nullable=False),
                    sa.Column('bpmn_id', step, nullable=False), sa.Column('process_id', process, nullable=False),
                    sa.Column('name', sa.String(length=300), nullable=False),
                    sa.Column('first_opened', UTCDateTime(), nullable=False),
                    sa.Column('last_opened', UTCDateTime(), nullable=False), *counts,
                    sa.PrimaryKeyConstraint('instance_id', 'bpmn_id'))
    op.create_index('ix_cycle_steps_first', 'cycle_steps', ['process_id', 'bpmn_id', 'first_opened'])
    op.create_index('ix_cycle_steps_last', 'cycle_steps', ['process_id', 'bpmn_id', 'last_opened', 'name'])
    op.create_table('cycle_step_totals', sa.Column('process_id', process, nullable=False),
                    sa.Column('bpmn_id', step, nullable=False),
                    *[sa.Column(c.name, sa.BigInteger(), nullable=False) for c in counts],
                    sa.PrimaryKeyConstraint('process_id', 'bpmn_id'))
    op.create_table('cycle_projects', sa.Column('instance_id', key, nullable=False),
                    sa.Column('process_id', process, nullable=False),
                    sa.Column('first_opened', UTCDateTime(), nullable=False),
                    sa.Column('took_us', sa.BigInteger(), nullable=True), sa.PrimaryKeyConstraint('instance_id'))
    op.create_index('ix_cycle_projects_took', 'cycle_projects', ['process_id', 'took_us'])
    op.create_table('cycle_durations', sa.Column('process_id', process, nullable=False),
                    sa.Column('bpmn_id', step, nullable=False), sa.Column('bucket', sa.Integer(), nullable=False),
                    sa.Column('completed', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('process_id', 'bpmn_id', 'bucket'))


def upgrade() -> None:
    _create_tables()
    fill(op.get_bind())
    keep(op.get_bind())
    op.create_index('ix_tasks_durations', 'tasks', ['bpmn_id', 'duration_us', 'instance_id'])


def downgrade() -> None:
    op.drop_index('ix_tasks_durations', table_name='tasks')
    stop_keeping(op.get_bind())
    for table in TABLES:
        op.drop_table(table)
