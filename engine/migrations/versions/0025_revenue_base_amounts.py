"""each revenue row keeps its amount in the base currency, so the tiers rank without converting

The company tiers (account list, pipeline, 80/20 report) converted every account's revenue into the
base currency on each request: ~150 ms at 10,000 accounts. The conversion cannot move into SQL and
stay exact on both databases (SQLite's NUMERIC is floating point; cents times a rate in 10^-8 units
overflows 64 bits), so the rule itself (`engine.workspace.currency.in_base`) computes it in Python
when a row is written or a rate set, and the row keeps it as whole hundredths with the base and the
conversion dates it holds for (`engine.workspace.base_amounts`). Rows written before are filled
here by the same function, as of today; readers convert any row whose kept amount does not hold.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from engine.workspace.base_amounts import kept
from engine.workspace.currency import Rate, base_currency, by_currency_of, year_end


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

COLUMNS = {'base_amount': sa.BigInteger, 'base_currency': lambda: sa.String(length=3),
           'base_from': sa.Date, 'base_until': sa.Date}
# the columns as they are at this revision, typed as the code reads them (SQLite: NUMERIC via float)
revenues = sa.table('account_revenues', sa.column('account_id', sa.String()), sa.column('year', sa.Integer()),
                    sa.column('amount', sa.Numeric(18, 2)), sa.column('currency', sa.String()),
                    *[sa.column(name, kind()) for name, kind in COLUMNS.items()])
exchange_rates = sa.table('exchange_rates', sa.column('base', sa.String()), sa.column('currency', sa.String()),
                          sa.column('valid_from', sa.Date()), sa.column('rate', sa.Numeric(18, 8)))


def fill(conn, today) -> int:
    """Keep every row's base amount as of `today`; how many rows."""
    base = base_currency()
    table = conn.execute(sa.select(exchange_rates.c.currency, exchange_rates.c.valid_from, exchange_rates.c.rate)
                         .where(exchange_rates.c.base == base)).all()
    by_currency = by_currency_of([Rate(currency, valid_from, rate) for currency, valid_from, rate in table])
    rows = [{'row_account': r.account_id, 'row_year': r.year,
             **kept(r.amount, r.currency, base, by_currency.get(r.currency, []), year_end(r.year, today))}
            for r in conn.execute(sa.select(revenues.c.account_id, revenues.c.year, revenues.c.amount,
                                            revenues.c.currency))]
    if rows:
        conn.execute(revenues.update().where(revenues.c.account_id == sa.bindparam('row_account'),
                                             revenues.c.year == sa.bindparam('row_year')), rows)
    return len(rows)


def upgrade() -> None:
    for name, kind in COLUMNS.items():
        op.add_column('account_revenues', sa.Column(name, kind(), nullable=True))
    fill(op.get_bind(), datetime.now(timezone.utc).date())


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column('account_revenues', name)
