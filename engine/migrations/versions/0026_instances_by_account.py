"""an index of the instances by account, process and id, for a viewer's projects by account

A rep's or a manager's projects are found by owner and by the accounts in view
(engine/reports/scope.py). With only `ix_instances_account_id`, PostgreSQL scanned all instances
for the account way (it estimated the accounts in view at half of them) and SQLite read each
project's instance row, 25 KB of workflow state, for its process. With account, process and id
in one index, each account in view leads to its projects from the index alone.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03
"""
from alembic import op


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_instances_accounts', 'instances', ['account_id', 'process_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_instances_accounts', table_name='instances')
