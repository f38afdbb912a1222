"""whether a decided task row was the project's first decision at its step, in the returns index

The returns report worked out each project's first decision per review step (the first-pass
rate) by a second GROUP BY over every decided row: at 100,000 projects a second pass over
400,000 rows. The engine now says so on the row when the task is completed
(engine/usecases/decisions.py: no other row of the instance at the step holds a decision yet),
and the report reads decisions and first passes in one GROUP BY. Rows decided before are filled
here, a chunk of instances at a time, by one UPDATE a chunk on both databases: a row is first
when no decided row of its instance at its step closed before it (or, closed at the same time,
has a smaller id). The partial index of the decided rows takes the new column, so the report
still reads them from the index alone; `ix_instances_projects` (process, id, owner) gives SQLite a
covering way from the home process's projects to their owners (it read each instance's row).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

CHUNK = 5000                  # instances filled per round
DECIDED = sa.text('decision IS NOT NULL')
LAST_OF_CHUNK = sa.text(
    'SELECT max(instance_id) FROM (SELECT DISTINCT instance_id FROM tasks '
    'WHERE decision IS NOT NULL AND instance_id > :after ORDER BY instance_id LIMIT :chunk) AS chunk')
FILL = sa.text(
    'UPDATE tasks SET first_decision = NOT EXISTS (SELECT 1 FROM tasks AS earlier '
    'WHERE earlier.instance_id = tasks.instance_id AND earlier.bpmn_id = tasks.bpmn_id '
    'AND earlier.decision IS NOT NULL AND (earlier.closed_at < tasks.closed_at '
    'OR (earlier.closed_at = tasks.closed_at AND earlier.id < tasks.id))) '
    'WHERE decision IS NOT NULL AND instance_id > :after AND instance_id <= :last')
COLUMNS = ['instance_id', 'bpmn_id', 'closed_at', 'decision', 'reason_code', 'name']


def fill(conn, chunk: int = CHUNK) -> int:
    """Set first_decision on every decided row, `chunk` instances a round; how many rounds ran."""
    after, rounds = '', 0
    while (last := conn.execute(LAST_OF_CHUNK, {'after': after, 'chunk': chunk}).scalar()) is not None:
        conn.execute(FILL, {'after': after, 'last': last})
        after, rounds = last, rounds + 1
    return rounds


def upgrade() -> None:
    op.add_column('tasks', sa.Column('first_decision', sa.Boolean(), nullable=True))
    fill(op.get_bind())
    op.drop_index('ix_tasks_decisions', table_name='tasks')
    op.create_index('ix_tasks_decisions', 'tasks', [*COLUMNS[:5], 'first_decision', 'name'],
                    sqlite_where=DECIDED, postgresql_where=DECIDED)
    op.create_index('ix_instances_projects', 'instances', ['process_id', 'id', 'owner'])


def downgrade() -> None:
    op.drop_index('ix_instances_projects', table_name='instances')
    op.drop_index('ix_tasks_decisions', table_name='tasks')
    op.create_index('ix_tasks_decisions', 'tasks', COLUMNS, sqlite_where=DECIDED, postgresql_where=DECIDED)
    op.execute('ALTER TABLE tasks DROP COLUMN first_decision')      # no batch copy (see 0020)
