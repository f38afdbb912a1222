"""contacts' personal profiles (apart from everything else, erasable) and dated exchange rates

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TEXTS = ('family', 'education', 'hobbies', 'career_history', 'goals_this_year', 'career_ambitions',
         'role_in_organisation', 'relations_with_colleagues')


def upgrade() -> None:
    op.create_table('contact_profiles',
    sa.Column('contact_id', sa.String(length=36), nullable=False),
    sa.Column('birthday', sa.String(length=10), nullable=False),
    *[sa.Column(name, sa.String(length=5000), nullable=False) for name in TEXTS],
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id')
    )
    op.create_table('exchange_rates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('base', sa.String(length=3), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('rate', sa.Numeric(precision=18, scale=8), nullable=False),
    sa.Column('set_by', sa.String(length=64), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('base', 'currency', 'valid_from')
    )


def downgrade() -> None:
    op.drop_table('exchange_rates')
    op.drop_table('contact_profiles')
