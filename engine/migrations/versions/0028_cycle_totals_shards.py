"""the cycle-time totals kept in 256 rows per process and step, by the project's id

Migration 0027 kept one totals row per process and step, which every transaction that changes a task
row of that step updates and holds until it commits. On PostgreSQL two completions of different projects
then queued at one row, and a return (manager's review back to the proposal) beside a resubmission
(proposal to the review) took the two steps' rows in opposite orders and deadlocked: `bench/completions.py`
ran at 0.6-1.1 completions a second instead of 20-40. Each totals row now also has a shard, the first two
hex digits of the project's id (uuid4: 256 shards spread evenly), so transactions on different projects
share a row only one time in 256; the report sums a step's 256 rows (2,300 rows for nine steps).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

FILL = ("INSERT INTO cycle_step_totals (process_id, bpmn_id, shard, activations, open_count, rewound, cancelled, "
        "returns) SELECT process_id, bpmn_id, substr(instance_id, 1, 2), sum(activations), sum(open_count), "
        "sum(rewound), sum(cancelled), sum(returns) FROM cycle_steps "
        "GROUP BY process_id, bpmn_id, substr(instance_id, 1, 2)")
ADD_TO_TOTALS = (        # R: OLD or NEW; :change: 1 or -1
    "INSERT INTO cycle_step_totals (process_id, bpmn_id, shard, activations, open_count, rewound, cancelled, "
    "returns) VALUES (R.process_id, R.bpmn_id, substr(R.instance_id, 1, 2), :change * R.activations, "
    ":change * R.open_count, :change * R.rewound, :change * R.cancelled, :change * R.returns) "
    "ON CONFLICT (process_id, bpmn_id, shard) DO UPDATE SET "
    "activations = cycle_step_totals.activations + excluded.activations, "
    "open_count = cycle_step_totals.open_count + excluded.open_count, "
    "rewound = cycle_step_totals.rewound + excluded.rewound, "
    "cancelled = cycle_step_totals.cancelled + excluded.cancelled, "
    "returns = cycle_step_totals.returns + excluded.returns")
UNSHARDED_FILL = ("INSERT INTO cycle_step_totals (process_id, bpmn_id, activations, open_count, rewound, cancelled, "
                  "returns) SELECT process_id, bpmn_id, sum(activations), sum(open_count), sum(rewound), "
                  "sum(cancelled), sum(returns) FROM cycle_steps GROUP BY process_id, bpmn_id")
UNSHARDED_ADD = (
    "INSERT INTO cycle_step_totals (process_id, bpmn_id, activations, open_count, rewound, cancelled, returns) "
    "VALUES (R.process_id, R.bpmn_id, :change * R.activations, :change * R.open_count, :change * R.rewound, "
    ":change * R.cancelled, :change * R.returns) ON CONFLICT (process_id, bpmn_id) DO UPDATE SET "
    "activations = cycle_step_totals.activations + excluded.activations, "
    "open_count = cycle_step_totals.open_count + excluded.open_count, "
    "rewound = cycle_step_totals.rewound + excluded.rewound, "
    "cancelled = cycle_step_totals.cancelled + excluded.cancelled, "
    "returns = cycle_step_totals.returns + excluded.returns")
DROP = {'sqlite': ["DROP TRIGGER cycle_step_added", "DROP TRIGGER cycle_step_changed",
                   "DROP TRIGGER cycle_step_removed"],
        'postgresql': ["DROP TRIGGER cycle_step_changed ON cycle_steps", "DROP FUNCTION cycle_step_changed()"]}


def _for(statement: str, row: str, change: str) -> str:
    assert row in ("OLD", "NEW") and change in ("1", "-1")
    return statement.replace("R.", f"{row}.").replace(":change", change)


def _triggers(dialect: str, add: str) -> list[str]:
    if dialect == 'sqlite':
        return [f"CREATE TRIGGER cycle_step_added AFTER INSERT ON cycle_steps BEGIN {_for(add, 'NEW', '1')}; END",
                "CREATE TRIGGER cycle_step_changed AFTER UPDATE ON cycle_steps BEGIN "
                f"{_for(add, 'OLD', '-1')}; {_for(add, 'NEW', '1')}; END",
                f"CREATE TRIGGER cycle_step_removed AFTER DELETE ON cycle_steps BEGIN {_for(add, 'OLD', '-1')}; END"]
    return ["CREATE FUNCTION cycle_step_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {_for(add, 'OLD', '-1')}; END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_for(add, 'NEW', '1')}; END IF; RETURN NULL; END $$",
            "CREATE TRIGGER cycle_step_changed AFTER INSERT OR UPDATE OR DELETE ON cycle_steps "
            "FOR EACH ROW EXECUTE FUNCTION cycle_step_changed()"]


def _totals_table(sharded: bool) -> None:
    key = ['process_id', 'bpmn_id', 'shard'] if sharded else ['process_id', 'bpmn_id']
    op.create_table('cycle_step_totals', sa.Column('process_id', sa.String(length=200), nullable=False),
                    sa.Column('bpmn_id', sa.String(length=200), nullable=False),
                    *([sa.Column('shard', sa.String(length=2), nullable=False)] if sharded else []),
                    *[sa.Column(c, sa.BigInteger(), nullable=False)
                      for c in ('activations', 'open_count', 'rewound', 'cancelled', 'returns')],
                    sa.PrimaryKeyConstraint(*key))


def _rebuild(sharded: bool) -> None:
    conn = op.get_bind()
    for statement in DROP[conn.dialect.name]:
        conn.exec_driver_sql(statement)
    op.drop_table('cycle_step_totals')
    _totals_table(sharded)
    conn.exec_driver_sql(FILL if sharded else UNSHARDED_FILL)
    for statement in _triggers(conn.dialect.name, ADD_TO_TOTALS if sharded else UNSHARDED_ADD):
        conn.exec_driver_sql(statement)


def upgrade() -> None:
    _rebuild(sharded=True)


def downgrade() -> None:
    _rebuild(sharded=False)
