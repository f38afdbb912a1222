"""a covering index for the reports' reads of projects, so SQLite never walks a workflow state

On SQLite an instance row holds its whole workflow state (25-35 KB) in overflow pages, and every
column stored after it - created_at, updated_at, account_id, deal_size and deal_currency among
them, columns later migrations added - is read by walking that chain: reading those columns for
10,000 instances took ~1 s on the benchmark machine, from this index ~6 ms (bench/reports.py,
docs/benchmarks.md). PostgreSQL keeps large states out of line, so it gains less there.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

COLUMNS = ['status', 'process_id', 'owner', 'account_id', 'created_at', 'stage', 'deal_size', 'deal_currency', 'id']


def upgrade() -> None:
    op.create_index('ix_instances_report', 'instances', COLUMNS)


def downgrade() -> None:
    op.drop_index('ix_instances_report', table_name='instances')
