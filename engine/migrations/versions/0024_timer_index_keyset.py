"""the timer index ends with the instance id, so a worker's next batch is an index range

The worker reads due instances in (next_timer_at, id) order, each batch after the last key it took
(engine/usecases/timers.py). With the index on (status, next_timer_at) alone, instances due at the
same moment (a backlog of reminders set together) were all read and sorted by id for every batch,
their stored workflows with them: at 10,000 such instances on SQLite ~60 ms a batch.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_instances_timer', table_name='instances')
    op.create_index('ix_instances_timer', 'instances', ['status', 'next_timer_at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_instances_timer', table_name='instances')
    op.create_index('ix_instances_timer', 'instances', ['status', 'next_timer_at'])
