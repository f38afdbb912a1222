"""a review's decision and reason code on its task row, indexed for the returns report

The returns report read every completed task's answer from the audit payloads: at 100,000
projects a million event ids in one IN list, past PostgreSQL's 65,535 and SQLite's 32,766 bound
parameters. The engine now keeps the answer's decision (and, unless it approves, its reason code)
on the task row when the task is completed (engine/usecases/decisions.py); the report groups
those rows through a partial index of the decided rows. Rows completed before are filled here
from their `completed` events' payloads, read by event id in chunks; each row's UPDATE binds
three values (executemany), so no statement comes near either database's limit. An erased
payload leaves its row without a decision, as the report saw it before.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

CHUNK = 5000                  # completed events read per round
DECIDED = sa.text('decision IS NOT NULL')
DECISION_LENGTH, REASON_LENGTH = 64, 200
tasks = sa.table('tasks', sa.column('id', sa.String), sa.column('decision', sa.String),
                 sa.column('reason_code', sa.String))
events = sa.table('audit_events', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                  sa.column('task_id', sa.String))
payloads = sa.table('audit_payloads', sa.column('event_id', sa.Integer), sa.column('data', sa.JSON))
FILL = (tasks.update().where(tasks.c.id == sa.bindparam('task'))
        .values(decision=sa.bindparam('new_decision'), reason_code=sa.bindparam('new_reason')))


def decided(data) -> tuple:
    """(decision, reason code) of an answer, as the engine keeps them (engine/usecases/decisions.py)."""
    data = json.loads(data) if isinstance(data, str) else data
    for value in (data or {}).values():
        if isinstance(value, dict) and isinstance(value.get('decision'), str):
            decision, reason = value['decision'][:DECISION_LENGTH], value.get('reason_code')
            if decision == 'approve' or not isinstance(reason, str):
                return decision, None
            return decision, reason[:REASON_LENGTH]
    return None, None


def fill(conn, chunk: int = CHUNK) -> int:
    """Fill the decided task rows from their completed events, `chunk` events a round; how many
    rows were filled."""
    last, filled = 0, 0
    while True:
        rows = conn.execute(sa.select(events.c.id, events.c.task_id, payloads.c.data)
                            .join(payloads, payloads.c.event_id == events.c.id)
                            .where(events.c.kind == 'completed', events.c.id > last)
                            .order_by(events.c.id).limit(chunk)).all()
        if not rows:
            return filled
        last = rows[-1].id
        found = [(task_id, decided(data)) for _id, task_id, data in rows if task_id]
        values = [{'task': task_id, 'new_decision': d, 'new_reason': r} for task_id, (d, r) in found if d is not None]
        if values:
            conn.execute(FILL, values)
            filled += len(values)


def upgrade() -> None:
    op.add_column('tasks', sa.Column('decision', sa.String(length=DECISION_LENGTH), nullable=True))
    op.add_column('tasks', sa.Column('reason_code', sa.String(length=REASON_LENGTH), nullable=True))
    fill(op.get_bind())
    op.create_index('ix_tasks_decisions', 'tasks',
                    ['instance_id', 'bpmn_id', 'closed_at', 'decision', 'reason_code', 'name'],
                    sqlite_where=DECIDED, postgresql_where=DECIDED)


def downgrade() -> None:
    op.drop_index('ix_tasks_decisions', table_name='tasks')
    op.execute('ALTER TABLE tasks DROP COLUMN reason_code')     # no batch copy: it would lose the
    op.execute('ALTER TABLE tasks DROP COLUMN decision')        # expression indexes SQLite cannot reflect
