"""SQLite: a view's kept cycle counts read from indexes alone

Cycle time for a viewer who sees some projects sums their kept counts per step (`cycle_steps`)
and ranks their kept times end to end (`cycle_projects`), found by project (engine/reports/cycle.py).
SQLite sought each row through the primary key's index and then read it from the table: a
manager's 5,691 projects, 45,000 step rows, ~200 ms. These indexes hold every column that read
takes, so it never leaves them (~140 ms). PostgreSQL gets none: the same covering index (INCLUDE)
changed nothing measurable there, and each would be written on every count a completion changes.
The models do not map them (tests/integration/test_schema.py names them).

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-03
"""
from alembic import op


revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None
INDEXES = {
    "ix_cycle_steps_counts": ("cycle_steps", "instance_id, bpmn_id, first_opened, activations, open_count, "
                                             "rewound, cancelled, returns"),
    "ix_cycle_projects_times": ("cycle_projects", "instance_id, took_us"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, (table, columns) in INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {table} ({columns})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in INDEXES:
            op.execute(f"DROP INDEX {name}")
