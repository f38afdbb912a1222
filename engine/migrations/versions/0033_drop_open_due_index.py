"""drop ix_tasks_open_due again: SQLite took it for every join of tasks on their instance

0032's index led with `state`, so that SQLite, without statistics, would prefer it to the inbox's
index for the home page's overdue groups. But every statement that joins a project's open tasks
by `instance_id = ? AND state = 'open'` (the pipeline over 17,500 running projects, among others)
then also found an equality on its first column and a covering index, took it, and read all
~23,500 open tasks for each project: the committee's pipeline went from ~0.25 s to 28 s on the
100,000-project SQLite database. The overdue groups read the inbox's index again, as before 0032.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None
OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    op.drop_index('ix_tasks_open_due', table_name='tasks')


def downgrade() -> None:
    op.create_index('ix_tasks_open_due', 'tasks',
                    ['state', 'due_at', 'instance_id', 'bpmn_id', 'assignee', 'candidate_group', 'name'],
                    sqlite_where=OPEN, postgresql_where=OPEN)
