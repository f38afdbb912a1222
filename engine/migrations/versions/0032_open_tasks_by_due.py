"""open tasks by due time, holding what the home page's overdue groups read

The home page counts the overdue work by whom and step it waits on (engine/reports/home.py,
`overdue_groups`). Without this index both databases found the open tasks through the inbox's
index and read each task row for its due time, step and name (the committee's 9,975 overdue
tasks among 23,500 open ones: ~150 ms). This partial index holds only the open tasks, ordered
by due time, with every column the groups read, so the overdue ones are one range of it. The
query spells its condition as the index does (a bound 'open' does not show SQLite it applies).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None
OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    op.create_index('ix_tasks_open_due', 'tasks',
                    ['state', 'due_at', 'instance_id', 'bpmn_id', 'assignee', 'candidate_group', 'name'],
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('ix_tasks_open_due', table_name='tasks')
