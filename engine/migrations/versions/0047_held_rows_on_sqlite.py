"""on SQLite, the rows a step adds at its end go in with one statement, through a view

A step's notifications, the committee round it opens, its audit events and their payloads are read
only by later transactions; they are held to the end of the unit of work (engine/db/late_inserts.py).
PostgreSQL takes them as INSERTs in the WITH of one statement; SQLite has no INSERT inside a WITH and
took them as one statement each. Now one batched INSERT into the view `held_rows` carries them, a row
per table with its rows as a JSON array, and a trigger per table spreads them (engine/db/held_rows.py):
the payloads find their events by (stream, seq). The columns named here are every column of those
tables but `id`; a test compares them with the tables, so a later column must be added here too.

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-04
"""
from alembic import op


revision = '0047'
down_revision = '0046'
branch_labels = None
depends_on = None

COLUMNS = {
    'notifications': ('username', 'kind', 'instance_id', 'task_id', 'actor', 'locale', 'facts', 'created_at',
                      'status', 'attempts', 'next_attempt_at', 'last_error', 'message_id', 'sent_at', 'failed_at'),
    'committee_rounds': ('instance_id', 'step', 'voting_rule', 'deal_size', 'deal_currency', 'members', 'opened_at',
                         'closed_at', 'outcome', 'approvals', 'returns', 'declines'),
    'audit_events': ('stream', 'seq', 'instance_id', 'at', 'actor', 'kind', 'task_id', 'bpmn_id', 'task_name',
                     'meta', 'payload_hash', 'prev_hash', 'hash'),
}
_PAYLOADS = ("INSERT INTO audit_payloads (event_id, data) SELECT e.id, json_extract(j.value, '$.payload') "
             "FROM json_each(NEW.rows) AS j JOIN audit_events AS e ON e.stream = json_extract(j.value, '$.stream') "
             "AND e.seq = json_extract(j.value, '$.seq') WHERE json_extract(j.value, '$.payload') IS NOT NULL")


def _spread(table: str) -> str:
    columns = COLUMNS[table]
    values = ", ".join(f"json_extract(value, '$.{c}')" for c in columns)
    # only this module's constants are put in
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM json_each(NEW.rows)"  # nosec B608


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != 'sqlite':
        return
    conn.exec_driver_sql("CREATE VIEW held_rows AS SELECT '' AS target, '[]' AS rows WHERE 0")
    for table in COLUMNS:
        then = [_spread(table), *([_PAYLOADS] if table == 'audit_events' else [])]
        conn.exec_driver_sql(f"CREATE TRIGGER held_{table} INSTEAD OF INSERT ON held_rows "
                             f"WHEN NEW.target = '{table}' BEGIN {'; '.join(then)}; END")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != 'sqlite':
        return
    for table in COLUMNS:
        conn.exec_driver_sql(f"DROP TRIGGER held_{table}")
    conn.exec_driver_sql("DROP VIEW held_rows")
