"""the process catalog: which deployed processes people may start, who, and what for

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Every process deployed so far enters the catalog offered to everyone, as before; the
key-account process, if deployed, is marked the home process.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

HOME = 'key_account_development'


def upgrade() -> None:
    catalog = op.create_table(
        'process_catalog',
        sa.Column('process_id', sa.String(length=200), nullable=False),
        sa.Column('offered', sa.Boolean(), nullable=False),
        sa.Column('home', sa.Boolean(), nullable=False),
        sa.Column('descriptions', sa.JSON(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('process_id'),
    )
    op.create_table(
        'process_catalog_groups',
        sa.Column('process_id', sa.String(length=200), nullable=False),
        sa.Column('group_name', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['process_id'], ['process_catalog.process_id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['group_name'], ['groups.name'], onupdate='CASCADE'),
        sa.PrimaryKeyConstraint('process_id', 'group_name'),
    )
    deployed = [row[0] for row in op.get_bind().execute(sa.text("SELECT DISTINCT process_id FROM definitions"))]
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(catalog, [{'process_id': pid, 'offered': True, 'home': pid == HOME, 'descriptions': {},
                              'updated_by': None, 'updated_at': now} for pid in sorted(deployed)])


def downgrade() -> None:
    op.drop_table('process_catalog_groups')
    op.drop_table('process_catalog')
