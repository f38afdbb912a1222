"""a contact handed over from a leaver carries whose confirmation of its stage is due

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (SQLite supports it): copying `contacts` in batch mode would cascade-delete
    # their stage history, activities and targets, as 0008 notes
    op.add_column('contacts', sa.Column('stage_confirm_by', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_contacts_stage_confirm_by'), 'contacts', ['stage_confirm_by'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_contacts_stage_confirm_by'), table_name='contacts')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('stage_confirm_by')
