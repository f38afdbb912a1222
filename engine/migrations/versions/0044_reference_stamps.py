"""a count of changes to the people and to the exchange rates, that every process can compare

A completion's scripts ask who sits on the committee and what today's rates are: two SELECTs on
every approval, though both change a few times a year. Each process may now keep the answers
(engine/reference_cache.py) while `reference_stamps` says they still hold: triggers add one to
`people` whenever a row of `users`, `groups` or `group_members` is written or deleted, and to
`rates` whenever one of `exchange_rates` is, whoever writes it. The completion reads both counts
with its lock, in the statement it already sends.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None

WATCHED = {'users': 'people', 'groups': 'people', 'group_members': 'people', 'exchange_rates': 'rates'}
_BUMP = "UPDATE reference_stamps SET changes = changes + 1 WHERE name = '{}'"


def _sqlite_triggers() -> list[str]:
    return [f"CREATE TRIGGER {table}_stamped_{op_name.lower()} AFTER {op_name} ON {table} "
            f"BEGIN {_BUMP.format(stamp)}; END"
            for table, stamp in WATCHED.items() for op_name in ("INSERT", "UPDATE", "DELETE")]


def _postgresql_triggers() -> list[str]:
    statements = []
    for stamp in sorted(set(WATCHED.values())):
        statements.append(f"CREATE FUNCTION reference_stamp_{stamp}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                          f"BEGIN {_BUMP.format(stamp)}; RETURN NULL; END $$")
    for table, stamp in WATCHED.items():       # once per statement: a bulk change counts once
        statements.append(f"CREATE TRIGGER {table}_stamped AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                          f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION reference_stamp_{stamp}()")
    return statements


def upgrade() -> None:
    conn = op.get_bind()
    op.create_table('reference_stamps', sa.Column('name', sa.String(length=32), primary_key=True),
                    sa.Column('changes', sa.BigInteger(), nullable=False))
    conn.exec_driver_sql("INSERT INTO reference_stamps (name, changes) VALUES ('people', 0), ('rates', 0)")
    for statement in _sqlite_triggers() if conn.dialect.name == 'sqlite' else _postgresql_triggers():
        conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'sqlite':
        for table in WATCHED:
            for op_name in ("insert", "update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER {table}_stamped_{op_name}")
    else:
        for table in WATCHED:
            conn.exec_driver_sql(f"DROP TRIGGER {table}_stamped ON {table}")
        for stamp in sorted(set(WATCHED.values())):
            conn.exec_driver_sql(f"DROP FUNCTION reference_stamp_{stamp}()")
    op.drop_table('reference_stamps')
