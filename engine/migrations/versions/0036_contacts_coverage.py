"""contacts by account with what the coverage report counts

The relationship coverage report counts each account's contacts by stage and those going cold
(engine/reports/relationships.py). Through `ix_contacts_account` (account, name) both databases
fetched every contact row for its stage, last activity and creation day: the committee's 45,000
contacts took 120 ms on SQLite. This index holds those columns, so the count reads it alone.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-03
"""
from alembic import op


revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_contacts_coverage', 'contacts',
                    ['account_id', 'relationship_stage', 'last_activity_on', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_contacts_coverage', table_name='contacts')
