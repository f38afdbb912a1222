"""the gift approval leaves the process catalog (the gifts register starts it)

Processes may now say they enter the catalog not offered (`catalog` property); the gift approval
does. Installs that deployed it before got an entry offered to everyone: unless an admin has
changed that entry since, it becomes not offered, as a fresh deploy makes it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

catalog = sa.table('process_catalog', sa.column('process_id', sa.String), sa.column('offered', sa.Boolean),
                   sa.column('updated_by', sa.String))


def upgrade() -> None:
    op.execute(catalog.update().where(catalog.c.process_id == 'gift_approval', catalog.c.updated_by.is_(None))
               .values(offered=False))


def downgrade() -> None:
    op.execute(catalog.update().where(catalog.c.process_id == 'gift_approval', catalog.c.updated_by.is_(None))
               .values(offered=True))
