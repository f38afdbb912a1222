"""the version each call activity's called process runs, and which version a task belongs to

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Existing instances have made no call yet (`called` = {}); their tasks belong to their own
version (`definition_id` NULL).
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMNs: on SQLite a batch copy would drop `instances` and `tasks`, and with foreign
    # keys on that deletes every row that cascades from them (tasks, drafts, attachments)
    op.add_column('instances', sa.Column('called', sa.JSON(), nullable=False, server_default='{}'))
    if op.get_bind().dialect.name == 'sqlite':    # SQLite adds a column with its reference, or not at all
        op.execute('ALTER TABLE tasks ADD COLUMN definition_id INTEGER REFERENCES definitions (id)')
    else:
        op.add_column('tasks', sa.Column('definition_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_tasks_definition_id', 'tasks', 'definitions', ['definition_id'], ['id'])


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('fk_tasks_definition_id', 'tasks', type_='foreignkey')
    op.drop_column('tasks', 'definition_id')
    op.drop_column('instances', 'called')
