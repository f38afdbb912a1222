"""the key-account workspace: accounts, their team and revenue, contacts and their stage history,
competitors and their reps; projects point at their account

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('accounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('account_type', sa.String(length=16), nullable=False),
    sa.Column('industry', sa.String(length=200), nullable=False),
    sa.Column('business', sa.String(length=5000), nullable=False),
    sa.Column('industry_basics', sa.String(length=5000), nullable=False),
    sa.Column('organisation_structure', sa.String(length=5000), nullable=False),
    sa.Column('purchasing_department', sa.String(length=200), nullable=False),
    sa.Column('supporting_departments', sa.JSON(), nullable=False),
    sa.Column('contact_channels', sa.JSON(), nullable=False),
    sa.Column('similar_products_in_use', sa.String(length=5000), nullable=False),
    sa.Column('sales_volume', sa.Integer(), nullable=True),
    sa.Column('technology_absorption', sa.Integer(), nullable=True),
    sa.Column('market_strength', sa.Integer(), nullable=True),
    sa.Column('financial_health', sa.Integer(), nullable=True),
    sa.Column('potential_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('potential_currency', sa.String(length=3), nullable=True),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('executive_sponsor', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['executive_sponsor'], ['users.username'], ),
    sa.ForeignKeyConstraint(['owner'], ['users.username'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_owner'), ['owner'], unique=False)

    op.create_table('account_team',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['username'], ['users.username'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'username')
    )
    with op.batch_alter_table('account_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_team_username'), ['username'], unique=False)

    op.create_table('account_revenues',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'year')
    )

    op.create_table('contacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('department_kind', sa.String(length=16), nullable=True),
    sa.Column('decision_role', sa.String(length=16), nullable=True),
    sa.Column('top_executive', sa.Boolean(), nullable=False),
    sa.Column('leader', sa.Boolean(), nullable=False),
    sa.Column('reports_to_id', sa.String(length=36), nullable=True),
    sa.Column('relationship_stage', sa.String(length=16), nullable=True),
    sa.Column('owner', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner'], ['users.username'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reports_to_id'], ['contacts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_account', ['account_id', 'name'], unique=False)

    op.create_table('contact_stage_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('contact_id', sa.String(length=36), nullable=False),
    sa.Column('from_stage', sa.String(length=16), nullable=True),
    sa.Column('to_stage', sa.String(length=16), nullable=True),
    sa.Column('cause', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('instance_id', sa.String(length=36), nullable=True),
    sa.Column('changed_by', sa.String(length=64), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact_stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_stage_changes_contact_id'), ['contact_id'], unique=False)

    op.create_table('competitors',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('products_in_use', sa.String(length=5000), nullable=False),
    sa.Column('customer_satisfaction', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('competitors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competitors_account_id'), ['account_id'], unique=False)

    op.create_table('competitor_reps',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('competitor_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sales_approach', sa.String(length=5000), nullable=False),
    sa.Column('relationship_with_customer', sa.String(length=5000), nullable=False),
    sa.ForeignKeyConstraint(['competitor_id'], ['competitors.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('competitor_reps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competitor_reps_competitor_id'), ['competitor_id'], unique=False)

    # A project points at its account. SQLite cannot add a constraint to a table, and copying
    # `instances` (batch mode) would cascade-delete its tasks: the reference goes in with the column.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE instances ADD COLUMN account_id VARCHAR(36) REFERENCES accounts (id)")
    else:
        op.add_column('instances', sa.Column('account_id', sa.String(length=36), nullable=True))
        op.create_foreign_key('instances_account_id_fkey', 'instances', 'accounts', ['account_id'], ['id'])
    op.create_index(op.f('ix_instances_account_id'), 'instances', ['account_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_instances_account_id'), table_name='instances')
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint('instances_account_id_fkey', 'instances', type_='foreignkey')
    op.drop_column('instances', 'account_id')
    for table in ('competitor_reps', 'competitors', 'contact_stage_changes', 'contacts', 'account_revenues',
                  'account_team', 'accounts'):
        op.drop_table(table)
