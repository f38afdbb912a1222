"""an index on open tasks by their group: a group's open tasks, claimed ones too

Before a group is deleted the engine counts the open tasks offered to it, whether someone has
claimed them or not (engine/usecases/groups.py). Migration 0017 made the group index hold
unclaimed tasks only (the inbox's), so that count read every open task; this partial index
holds open tasks only (~2% of the task rows at 100,000 projects).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None
OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    op.create_index('ix_tasks_open_by_group', 'tasks', ['candidate_group'], sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('ix_tasks_open_by_group', table_name='tasks')
