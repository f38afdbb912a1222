"""the inbox's indexes end in its sort key (due date, none last; creation time; id)

Each part of the inbox (assigned to me; unclaimed in one of my groups) reads its index in
order from a page's key and stops after the page, so a deep page costs what the first does
(engine/usecases/inbox.py). A missing due date sorts as a far date, in the index too:
PostgreSQL keeps an index's order only after equalities, and `due_at IS NULL` is none. The
group index holds unclaimed tasks only, for the same reason (`assignee IS NULL`). Then the
indexes hold what the counts per step read, so those read the index alone; and a partial
index finds the few instances held (suspended, in error) whose open tasks are left out. The
two task indexes keep their names.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None
# due date with none last (a far date stands in), creation, id; then what the counts per step read
KEY = [sa.text("coalesce(due_at, '9999-12-31 23:59:59.999999')"), 'created_at', 'id', 'bpmn_id', 'excluded_user',
       'instance_id']
HELD = sa.text("status IN ('suspended', 'error')")
UNCLAIMED = sa.text("assignee IS NULL")


def upgrade() -> None:
    op.drop_index('ix_tasks_open_assignee', table_name='tasks')
    op.drop_index('ix_tasks_open_group', table_name='tasks')
    op.create_index('ix_tasks_open_assignee', 'tasks', ['state', 'assignee', *KEY])
    op.create_index('ix_tasks_open_group', 'tasks', ['state', 'candidate_group', *KEY], sqlite_where=UNCLAIMED,
                    postgresql_where=UNCLAIMED)
    op.create_index('ix_instances_held', 'instances', ['id'], sqlite_where=HELD, postgresql_where=HELD)


def downgrade() -> None:
    op.drop_index('ix_instances_held', table_name='instances')
    op.drop_index('ix_tasks_open_group', table_name='tasks')
    op.drop_index('ix_tasks_open_assignee', table_name='tasks')
    op.create_index('ix_tasks_open_assignee', 'tasks', ['state', 'assignee'])
    op.create_index('ix_tasks_open_group', 'tasks', ['state', 'candidate_group'])
