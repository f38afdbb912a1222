"""the cycle-time summaries kept by account type and month, for a viewer who sees every account of one type

Cycle time for the committee filtered to one account type read every project of the type's kept
rows and ranked every completed activation of them (at 100,000 projects, "national": 34,000
projects, 2-3.5 s); with a period too, every activation opened in it (~1.1 s). It now reads what
the database keeps by type (engine/reports/kept_type.py, and kept_period.py with a type):
- `cycle_type_step_months`: `cycle_steps`' counts summed per process, account type of the project's
  account ('' without one), step, month of the project-step's first opening and shard (the
  project id's first hex digit: 16, so a type's all-time sums read a few thousand rows and
  concurrent work seldom updates one row), kept by triggers on `cycle_steps` beside 0027's and 0041's;
- `cycle_type_duration_months`: completed activations per process, account type, step, month of
  opening and duration bucket, kept by triggers on `tasks` as 0041 keeps `cycle_duration_months`;
- `cycle_projects.account_type`, set as a project's row is made, with `ix_cycle_projects_type`
  (process, type, time: a type's end-to-end ranks) and `ix_cycle_projects_type_period` (process,
  type, first and last opening, time: a type's projects inside or straddling a period).
When an account's type or a project's account changes, the project's kept counts and times move
from the old type to the new one in the statement that changed it, whoever writes it. A deleted
project takes its type's durations out in 0034's trigger, first (its steps go by their own trigger).

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None

BUCKET = ("CASE WHEN {0} < 10 THEN 0 ELSE length(CAST({0} AS TEXT)) * 100 "
          "+ CAST(substr(CAST({0} AS TEXT), 1, 2) AS INTEGER) END")      # as 0027 and reports.buckets
COUNTS = ("activations", "open_count", "rewound", "cancelled", "returns")
MONTH = {'sqlite': "substr({}, 1, 7)", 'postgresql': "to_char({}, 'YYYY-MM')"}     # as 0041
STEP_KEY = "process_id, account_type, bpmn_id, month, shard"
DURATION_KEY = "process_id, account_type, bpmn_id, month, bucket"
SHARD = "substr({}, 1, 1)"          # the project id's first hex digit: 16 shards


def type_of_project(instance: str) -> str:
    # only this module's constants are put in
    return ("coalesce((SELECT a.account_type FROM instances AS i "  # nosec B608
            f"JOIN accounts AS a ON a.id = i.account_id WHERE i.id = {instance}), '')")


def type_of_account(account: str) -> str:
    # only this module's constants are put in
    return f"coalesce((SELECT account_type FROM accounts WHERE id = {account}), '')"  # nosec B608


def process_of(instance: str) -> str:
    """As 0041 finds a task's process: its project's kept row, else its instance."""
    # only this module's constants are put in
    return (f"coalesce((SELECT process_id FROM cycle_projects WHERE instance_id = {instance}), "  # nosec B608
            f"(SELECT process_id FROM instances WHERE id = {instance}))")


def _summed_steps(values: str) -> str:
    sums = ", ".join(f"{c} = cycle_type_step_months.{c} + excluded.{c}" for c in COUNTS)
    # only this module's constants are put in
    return (f"INSERT INTO cycle_type_step_months ({STEP_KEY}, {', '.join(COUNTS)}) {values} "  # nosec B608
            f"ON CONFLICT ({STEP_KEY}) DO UPDATE SET {sums}")


def _summed_durations(values: str) -> str:
    # only this module's constants are put in
    return (f"INSERT INTO cycle_type_duration_months ({DURATION_KEY}, completed) {values} "  # nosec B608
            f"ON CONFLICT ({DURATION_KEY}) DO UPDATE SET completed = cycle_type_duration_months.completed + "
            "excluded.completed")


def _add_step(d: str, row: str, change: str) -> str:
    """A `cycle_steps` row's counts (`row`: OLD or NEW) added to (+1) or taken from (-1) its type's
    month (of the project-step's first opening)."""
    values = ", ".join(f"{change} * {row}.{c}" for c in COUNTS)
    return _summed_steps(f"VALUES ({row}.process_id, {type_of_project(f'{row}.instance_id')}, {row}.bpmn_id, "
                         f"{MONTH[d].format(f'{row}.first_opened')}, {SHARD.format(f'{row}.instance_id')}, {values})")


def _count_duration(d: str, row: str, change: str) -> str:
    """A completed task row's time (`row`: OLD or NEW) counted in (+1) or out of (-1) its type's
    month (of its opening) and bucket."""
    r = row
    return _summed_durations(f"SELECT {process_of(f'{r}.instance_id')}, {type_of_project(f'{r}.instance_id')}, "
                             f"{r}.bpmn_id, {MONTH[d].format(f'{r}.created_at')}, {BUCKET.format(f'{r}.duration_us')}, "
                             f"{change} WHERE {r}.duration_us IS NOT NULL")


def _move_steps(d: str, projects: str, account_type: str, change: str) -> str:
    """The kept step counts of `projects` (a subquery of instance ids) added to or taken from a type."""
    sums = ", ".join(f"{change} * sum({c})" for c in COUNTS)
    month = MONTH[d].format('first_opened')
    # only this module's constants are put in
    return _summed_steps(f"SELECT process_id, {account_type}, bpmn_id, {month}, "  # nosec B608
                         f"{SHARD.format('instance_id')}, {sums} FROM cycle_steps WHERE instance_id IN ({projects}) "
                         "GROUP BY 1, 2, 3, 4, 5")


def _move_durations(d: str, projects: str, account_type: str, change: str) -> str:
    # only this module's constants are put in
    return _summed_durations(f"SELECT {process_of('t.instance_id')}, {account_type}, t.bpmn_id, "  # nosec B608
                             f"{MONTH[d].format('t.created_at')}, {BUCKET.format('t.duration_us')}, "
                             f"{change} * count(*) FROM tasks AS t WHERE t.instance_id IN ({projects}) "
                             "AND t.duration_us IS NOT NULL GROUP BY 1, 2, 3, 4, 5")


def _moved(d: str, projects: str, old_type: str, new_type: str) -> list[str]:
    """`projects` (whose type changes from `old_type` to `new_type`): counts, times and kept type moved."""
    return [_move_steps(d, projects, old_type, "-1"), _move_steps(d, projects, new_type, "1"),
            _move_durations(d, projects, old_type, "-1"), _move_durations(d, projects, new_type, "1"),
            # only this module's constants are put in
            f"UPDATE cycle_projects SET account_type = {new_type} WHERE instance_id IN ({projects})"]  # nosec B608


def retyped(d: str) -> list[str]:
    """An account's type changed (NEW, OLD: its rows): its projects' share moved."""
    return _moved(d, "SELECT id FROM instances WHERE account_id = NEW.id", "coalesce(OLD.account_type, '')",
                  "coalesce(NEW.account_type, '')")


def moved(d: str) -> list[str]:
    """A project moved to another account or to none (NEW, OLD: its instances rows)."""
    return _moved(d, "SELECT NEW.id", type_of_account("OLD.account_id"), type_of_account("NEW.account_id"))


def taken_out(d: str) -> str:
    """A deleted project's (OLD: its instances row) durations out of its type, before 0041's and 0034's."""
    return _move_durations(d, "SELECT OLD.id", type_of_project("OLD.id"), "-1")


FIRST_OF_0041 = "INSERT INTO cycle_duration_months"
RETIMING_COLUMNS = "instance_id, bpmn_id, state, created_at, closed_at, duration_us"      # as 0041
RETIMED = {'sqlite': "OLD.duration_us IS NOT NEW.duration_us OR OLD.created_at IS NOT NEW.created_at "
                     "OR OLD.instance_id IS NOT NEW.instance_id OR OLD.bpmn_id IS NOT NEW.bpmn_id",
           'postgresql': "OLD.duration_us IS DISTINCT FROM NEW.duration_us OR OLD.created_at <> NEW.created_at "
                         "OR OLD.instance_id <> NEW.instance_id OR OLD.bpmn_id <> NEW.bpmn_id"}
PROJECT_EXISTS = "EXISTS (SELECT 1 FROM instances WHERE id = OLD.instance_id)"
SQLITE_NAMES = ("cycle_type_steps_added", "cycle_type_steps_changed", "cycle_type_steps_removed",
                "cycle_type_task_inserted", "cycle_type_task_deleted", "cycle_type_task_updated",
                "cycle_type_account_retyped", "cycle_type_project_moved", "cycle_type_project_kept")


def _sqlite_triggers() -> list[str]:
    def trigger(name, when, statements):
        return f"CREATE TRIGGER {name} {when} BEGIN " + "; ".join(statements) + "; END"
    d = 'sqlite'
    return [
        trigger("cycle_type_steps_added", "AFTER INSERT ON cycle_steps", [_add_step(d, "NEW", "1")]),
        trigger("cycle_type_steps_changed", "AFTER UPDATE ON cycle_steps",
                [_add_step(d, "OLD", "-1"), _add_step(d, "NEW", "1")]),
        trigger("cycle_type_steps_removed", "AFTER DELETE ON cycle_steps", [_add_step(d, "OLD", "-1")]),
        trigger("cycle_type_task_inserted", "AFTER INSERT ON tasks WHEN NEW.duration_us IS NOT NULL",
                [_count_duration(d, "NEW", "1")]),
        trigger("cycle_type_task_deleted",
                f"AFTER DELETE ON tasks WHEN OLD.duration_us IS NOT NULL AND {PROJECT_EXISTS}",
                [_count_duration(d, "OLD", "-1")]),
        trigger("cycle_type_task_updated", f"AFTER UPDATE OF {RETIMING_COLUMNS} ON tasks WHEN {RETIMED[d]}",
                [_count_duration(d, "OLD", "-1"), _count_duration(d, "NEW", "1")]),
        trigger("cycle_type_account_retyped", "AFTER UPDATE OF account_type ON accounts "
                "WHEN OLD.account_type IS NOT NEW.account_type", retyped(d)),
        trigger("cycle_type_project_moved", "AFTER UPDATE OF account_id ON instances "
                "WHEN OLD.account_id IS NOT NEW.account_id", moved(d)),
        trigger("cycle_type_project_kept", "AFTER INSERT ON cycle_projects",
                # only this module's constants are put in
                [f"UPDATE cycle_projects SET account_type = {type_of_project('NEW.instance_id')} "  # nosec B608
                 "WHERE instance_id = NEW.instance_id"]),
    ]


def _postgresql_triggers() -> list[str]:
    def function(name, body):
        return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"
    d = 'postgresql'
    return [
        function("cycle_type_steps_changed",
                 f"IF TG_OP <> 'INSERT' THEN {_add_step(d, 'OLD', '-1')}; END IF; "
                 f"IF TG_OP <> 'DELETE' THEN {_add_step(d, 'NEW', '1')}; END IF; RETURN NULL;"),
        "CREATE TRIGGER cycle_type_steps_changed AFTER INSERT OR UPDATE OR DELETE ON cycle_steps "
        "FOR EACH ROW EXECUTE FUNCTION cycle_type_steps_changed()",
        function("cycle_type_task_changed",
                 f"IF TG_OP = 'INSERT' THEN {_count_duration(d, 'NEW', '1')}; "
                 f"ELSIF TG_OP = 'DELETE' THEN IF {PROJECT_EXISTS} THEN {_count_duration(d, 'OLD', '-1')}; END IF; "
                 f"ELSIF {RETIMED[d]} THEN {_count_duration(d, 'OLD', '-1')}; {_count_duration(d, 'NEW', '1')}; "
                 "END IF; RETURN NULL;"),
        "CREATE TRIGGER cycle_type_task_written AFTER INSERT OR DELETE ON tasks "
        "FOR EACH ROW EXECUTE FUNCTION cycle_type_task_changed()",
        f"CREATE TRIGGER cycle_type_task_updated AFTER UPDATE OF {RETIMING_COLUMNS} ON tasks "
        "FOR EACH ROW EXECUTE FUNCTION cycle_type_task_changed()",
        function("cycle_type_account_retyped", "; ".join(retyped(d)) + "; RETURN NULL;"),
        "CREATE TRIGGER cycle_type_account_retyped AFTER UPDATE OF account_type ON accounts FOR EACH ROW "
        "WHEN (OLD.account_type IS DISTINCT FROM NEW.account_type) EXECUTE FUNCTION cycle_type_account_retyped()",
        function("cycle_type_project_moved", "; ".join(moved(d)) + "; RETURN NULL;"),
        "CREATE TRIGGER cycle_type_project_moved AFTER UPDATE OF account_id ON instances FOR EACH ROW "
        "WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id) EXECUTE FUNCTION cycle_type_project_moved()",
        function("cycle_type_project_kept",
                 f"NEW.account_type := {type_of_project('NEW.instance_id')}; RETURN NEW;"),
        "CREATE TRIGGER cycle_type_project_kept BEFORE INSERT ON cycle_projects FOR EACH ROW "
        "EXECUTE FUNCTION cycle_type_project_kept()",
    ]


POSTGRESQL_DROPS = ("DROP TRIGGER cycle_type_steps_changed ON cycle_steps",
                    "DROP TRIGGER cycle_type_task_written ON tasks",
                    "DROP TRIGGER cycle_type_task_updated ON tasks",
                    "DROP TRIGGER cycle_type_account_retyped ON accounts",
                    "DROP TRIGGER cycle_type_project_moved ON instances",
                    "DROP TRIGGER cycle_type_project_kept ON cycle_projects",
                    *[f"DROP FUNCTION {name}()" for name in (
                        "cycle_type_steps_changed", "cycle_type_task_changed", "cycle_type_account_retyped",
                        "cycle_type_project_moved", "cycle_type_project_kept")])


def _fill(d: str) -> list[str]:
    sums = ", ".join(f"sum(s.{c})" for c in COUNTS)
    return [
        # only this module's constants are put in
        f"UPDATE cycle_projects SET account_type = {type_of_project('cycle_projects.instance_id')}",  # nosec B608
        # only this module's constants are put in
        f"INSERT INTO cycle_type_step_months ({STEP_KEY}, {', '.join(COUNTS)}) "  # nosec B608
        f"SELECT s.process_id, coalesce(a.account_type, ''), s.bpmn_id, {MONTH[d].format('s.first_opened')}, "
        f"{SHARD.format('s.instance_id')}, {sums} FROM cycle_steps AS s "
        "LEFT JOIN instances AS i ON i.id = s.instance_id LEFT JOIN accounts AS a ON a.id = i.account_id "
        "GROUP BY 1, 2, 3, 4, 5",
        # only this module's constants are put in
        f"INSERT INTO cycle_type_duration_months ({DURATION_KEY}, completed) "  # nosec B608
        f"SELECT coalesce(c.process_id, i.process_id), coalesce(a.account_type, ''), t.bpmn_id, "
        f"{MONTH[d].format('t.created_at')}, {BUCKET.format('t.duration_us')}, count(*) FROM tasks AS t "
        "JOIN instances AS i ON i.id = t.instance_id LEFT JOIN cycle_projects AS c ON c.instance_id = t.instance_id "
        "LEFT JOIN accounts AS a ON a.id = i.account_id WHERE t.duration_us IS NOT NULL GROUP BY 1, 2, 3, 4, 5",
    ]


def _edit_deletion(conn, old: str, new: str) -> None:
    """0034's (and 0041's) trigger on a deleted project, edited in place: exactly one `old` to `new`."""
    if conn.dialect.name == 'sqlite':
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                   "AND name = 'cycle_project_deleted'").scalar_one()
        conn.exec_driver_sql("DROP TRIGGER cycle_project_deleted")
    else:
        sql = conn.exec_driver_sql("SELECT pg_get_functiondef('cycle_project_deleted()'::regprocedure)").scalar_one()
    assert sql.count(old) == 1, f"cycle_project_deleted: expected one {old!r}"
    conn.exec_driver_sql(sql.replace(old, new))


INDEXES = [('ix_cycle_projects_type', ['process_id', 'account_type', 'took_us']),
           ('ix_cycle_projects_type_period', ['process_id', 'account_type', 'first_opened', 'last_opened', 'took_us'])]


def upgrade() -> None:
    conn = op.get_bind()
    d = conn.dialect.name
    process, step, month, kind = sa.String(length=200), sa.String(length=200), sa.String(length=7), sa.String(length=16)
    op.create_table('cycle_type_step_months', sa.Column('process_id', process, nullable=False),
                    sa.Column('account_type', kind, nullable=False), sa.Column('bpmn_id', step, nullable=False),
                    sa.Column('month', month, nullable=False), sa.Column('shard', sa.String(length=1), nullable=False),
                    *[sa.Column(c, sa.BigInteger(), nullable=False) for c in COUNTS],
                    sa.PrimaryKeyConstraint('process_id', 'account_type', 'bpmn_id', 'month', 'shard'))
    op.create_table('cycle_type_duration_months', sa.Column('process_id', process, nullable=False),
                    sa.Column('account_type', kind, nullable=False), sa.Column('bpmn_id', step, nullable=False),
                    sa.Column('month', month, nullable=False), sa.Column('bucket', sa.Integer(), nullable=False),
                    sa.Column('completed', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('process_id', 'account_type', 'bpmn_id', 'month', 'bucket'))
    op.add_column('cycle_projects', sa.Column('account_type', kind, nullable=True))
    for statement in _fill(d):
        conn.exec_driver_sql(statement)
    for statement in _sqlite_triggers() if d == 'sqlite' else _postgresql_triggers():
        conn.exec_driver_sql(statement)
    _edit_deletion(conn, FIRST_OF_0041, f"{taken_out(d)}; {FIRST_OF_0041}")
    for name, columns in INDEXES:
        op.create_index(name, 'cycle_projects', columns)


def downgrade() -> None:
    conn = op.get_bind()
    for name, _columns in INDEXES:
        op.drop_index(name, table_name='cycle_projects')
    _edit_deletion(conn, f"{taken_out(conn.dialect.name)}; {FIRST_OF_0041}", FIRST_OF_0041)
    if conn.dialect.name == 'sqlite':
        for name in SQLITE_NAMES:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
    else:
        for statement in POSTGRESQL_DROPS:
            conn.exec_driver_sql(statement)
    op.drop_column('cycle_projects', 'account_type')
    op.drop_table('cycle_type_duration_months')
    op.drop_table('cycle_type_step_months')
