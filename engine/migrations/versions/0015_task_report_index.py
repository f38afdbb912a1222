"""an index for the reports' reads of task activations; an admin's rewind closes rows as `rewound`

The cycle-time report reads task rows (one per activation of a step) by step, how they closed
and when. Rows closed by a rewind used to read `cancelled`, like a withdrawal; the state column
(text) takes the new value as it is. Rows an earlier rewind closed are found by the rewind's
audit event: same instance, closed at the event's moment, `cancelled`.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


tasks = sa.table('tasks', sa.column('instance_id', sa.String), sa.column('state', sa.String),
                 sa.column('closed_at', sa.DateTime))
events = sa.table('audit_events', sa.column('instance_id', sa.String), sa.column('kind', sa.String),
                  sa.column('at', sa.DateTime))


def upgrade() -> None:
    op.create_index('ix_tasks_report', 'tasks', ['bpmn_id', 'state', 'closed_at'])
    rewound = sa.select(events.c.at).where(events.c.kind == 'rewound', events.c.instance_id == tasks.c.instance_id,
                                           events.c.at == tasks.c.closed_at)
    op.execute(tasks.update().where(tasks.c.state == 'cancelled', sa.exists(rewound)).values(state='rewound'))


def downgrade() -> None:
    op.execute(tasks.update().where(tasks.c.state == 'rewound').values(state='cancelled'))
    op.drop_index('ix_tasks_report', table_name='tasks')
