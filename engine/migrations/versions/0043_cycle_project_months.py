"""the projects counted by month of first opening and bucket of their time end to end

A period's end to end ranked the kept times of every project wholly inside it: on SQLite, over a
long period at 100,000 projects (47,000 times), reading them cost 100-150 ms and the report's
maximum went over 500 ms. `cycle_project_months` counts `cycle_projects` per process, account type
('' without an account), month of first opening, bucket of the time end to end (as 0027's buckets;
-1: not finished) and shard (the project id's first hex digit, as 0042: a month's new projects
seldom update one row at once). `reports.kept_end_to_end` sums a period's whole months, takes out the
projects that straddle its end and reads only each rank's bucket of times.

Triggers on `cycle_projects` keep it, whoever writes that row: its insert and deletion, and an
update of its process, first opening, time or type (0042 moves a project's type there).

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None

BUCKET = ("CASE WHEN {0} IS NULL THEN -1 WHEN {0} < 10 THEN 0 ELSE length(CAST({0} AS TEXT)) * 100 "
          "+ CAST(substr(CAST({0} AS TEXT), 1, 2) AS INTEGER) END")      # as 0027 and reports.buckets; -1: unfinished
MONTH = {'sqlite': "substr({}, 1, 7)", 'postgresql': "to_char({}, 'YYYY-MM')"}     # as 0041
KEY = "process_id, account_type, month, bucket, shard"
CHANGED = {'sqlite': "OLD.process_id IS NOT NEW.process_id OR OLD.first_opened IS NOT NEW.first_opened "
                     "OR OLD.took_us IS NOT NEW.took_us OR OLD.account_type IS NOT NEW.account_type",
           'postgresql': "OLD.process_id IS DISTINCT FROM NEW.process_id "
                         "OR OLD.first_opened IS DISTINCT FROM NEW.first_opened "
                         "OR OLD.took_us IS DISTINCT FROM NEW.took_us "
                         "OR OLD.account_type IS DISTINCT FROM NEW.account_type"}
COLUMNS = "process_id, first_opened, took_us, account_type"


def _count(d: str, row: str, change: str) -> str:
    """A `cycle_projects` row (`row`: OLD or NEW) counted in (+1) or out of (-1) its month and bucket."""
    r = row
    # only this module's constants are put in
    return (f"INSERT INTO cycle_project_months ({KEY}, projects) "  # nosec B608
            f"VALUES ({r}.process_id, coalesce({r}.account_type, ''), {MONTH[d].format(f'{r}.first_opened')}, "
            f"{BUCKET.format(f'{r}.took_us')}, substr({r}.instance_id, 1, 1), {change}) "
            f"ON CONFLICT ({KEY}) DO UPDATE SET projects = cycle_project_months.projects + excluded.projects")


def _sqlite_triggers() -> list[str]:
    d = 'sqlite'
    return [
        f"CREATE TRIGGER cycle_project_months_added AFTER INSERT ON cycle_projects BEGIN {_count(d, 'NEW', '1')}; END",
        f"CREATE TRIGGER cycle_project_months_changed AFTER UPDATE OF {COLUMNS} ON cycle_projects "
        f"WHEN {CHANGED[d]} BEGIN {_count(d, 'OLD', '-1')}; {_count(d, 'NEW', '1')}; END",
        f"CREATE TRIGGER cycle_project_months_removed AFTER DELETE ON cycle_projects BEGIN {_count(d, 'OLD', '-1')}; "
        "END",
    ]


def _postgresql_triggers() -> list[str]:
    d = 'postgresql'
    return [
        "CREATE FUNCTION cycle_project_months_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {_count(d, 'OLD', '-1')}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_count(d, 'NEW', '1')}; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER cycle_project_months_written AFTER INSERT OR DELETE ON cycle_projects "
        "FOR EACH ROW EXECUTE FUNCTION cycle_project_months_changed()",
        f"CREATE TRIGGER cycle_project_months_changed AFTER UPDATE OF {COLUMNS} ON cycle_projects FOR EACH ROW "
        f"WHEN ({CHANGED[d]}) EXECUTE FUNCTION cycle_project_months_changed()",
    ]


DROPS = {'sqlite': ["DROP TRIGGER cycle_project_months_added", "DROP TRIGGER cycle_project_months_changed",
                    "DROP TRIGGER cycle_project_months_removed"],
         'postgresql': ["DROP TRIGGER cycle_project_months_written ON cycle_projects",
                        "DROP TRIGGER cycle_project_months_changed ON cycle_projects",
                        "DROP FUNCTION cycle_project_months_changed()"]}


def upgrade() -> None:
    conn = op.get_bind()
    d = conn.dialect.name
    op.create_table('cycle_project_months', sa.Column('process_id', sa.String(length=200), nullable=False),
                    sa.Column('account_type', sa.String(length=16), nullable=False),
                    sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('bucket', sa.Integer(), nullable=False),
                    sa.Column('shard', sa.String(length=1), nullable=False),
                    sa.Column('projects', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('process_id', 'account_type', 'month', 'bucket', 'shard'))
    # only this module's constants are put in
    conn.exec_driver_sql(f"INSERT INTO cycle_project_months ({KEY}, projects) "  # nosec B608
                         f"SELECT process_id, coalesce(account_type, ''), {MONTH[d].format('first_opened')}, "
                         f"{BUCKET.format('took_us')}, substr(instance_id, 1, 1), count(*) FROM cycle_projects "
                         "GROUP BY 1, 2, 3, 4, 5")
    for statement in _sqlite_triggers() if d == 'sqlite' else _postgresql_triggers():
        conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    for statement in DROPS[conn.dialect.name]:
        conn.exec_driver_sql(statement)
    op.drop_table('cycle_project_months')
