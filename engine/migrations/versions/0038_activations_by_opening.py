"""activations by their opening time

The cycle-time report with a period reads the activations opened in it (engine/reports/cycle.py).
Led by the projects, a committee member's period read every activation of every project (1.1M at
100,000 projects: 2-4 s) to keep the few opened in the period. This index leads with the opening
time, so a period seeks its range of it. It holds the opening time alone: a task row's opening
time never changes, so SQLite writes it once, when the row is inserted.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-03
"""
from alembic import op


revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tasks_opened', 'tasks', ['created_at'])


def downgrade() -> None:
    op.drop_index('ix_tasks_opened', table_name='tasks')
