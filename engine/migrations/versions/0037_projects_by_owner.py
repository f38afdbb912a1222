"""projects by owner with their process and id; accounts by executive sponsor

Every report finds a rep's or a manager's projects by owner (engine/reports/scope.py). Through
`ix_instances_owner` (owner) alone both databases read each project's instance row to test its
process: 5,691 rows for a manager's ten people, 40 ms warm and 200 ms cold on PostgreSQL, and
once per statement of a report. The index now holds the process and the id, so those projects
come from it alone. The accounts a manager sponsors were found by scanning every account.
`ix_instances_account_id` goes: `ix_instances_accounts` (0026) leads with the account too, and
each index on instances is written on every step of every project.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-03
"""
from alembic import op


revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_instances_owner', table_name='instances')
    op.create_index('ix_instances_owner', 'instances', ['owner', 'process_id', 'id'])
    op.drop_index('ix_instances_account_id', table_name='instances')
    op.create_index('ix_accounts_executive_sponsor', 'accounts', ['executive_sponsor'])


def downgrade() -> None:
    op.drop_index('ix_accounts_executive_sponsor', table_name='accounts')
    op.create_index('ix_instances_account_id', 'instances', ['account_id'])
    op.drop_index('ix_instances_owner', table_name='instances')
    op.create_index('ix_instances_owner', 'instances', ['owner'])
