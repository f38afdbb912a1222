"""a project's deal size in the base currency on its instance row; committee rounds with their rule and outcome

Reports read both as indexed rows instead of audit payloads or workflow state (engine/usecases/
committee.py keeps them from now on). Earlier projects are filled where the stored rows allow:
- deal size: the latest project-form budget in the audit log, converted at the rate valid on the
  day it was answered (what the voting rule would have used that day);
- committee rounds: the key-account process's `committee_vote` activations opened together are a
  round; its rule is the `voting_rule` in the instance's stored workflow data (the latest round's,
  taken for every round of the project), its decisions come from the members' answers in the audit
  log, and its outcome is tallied as the process's `tally_votes` script does. A round whose votes an
  admin's rewind took back closes as `rewound`; one with open votes stays open. A project whose
  workflow holds no voting rule gets no round.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""
import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

VOTE_STEP = 'committee_vote'
RULE = re.compile(r'"voting_rule":\s*"(majority|two_thirds|unanimous)"')
instances = sa.table('instances', sa.column('id', sa.String), sa.column('workflow', sa.Text),
                     sa.column('deal_size', sa.Numeric), sa.column('deal_currency', sa.String))
tasks = sa.table('tasks', sa.column('id', sa.String), sa.column('instance_id', sa.String),
                 sa.column('bpmn_id', sa.String), sa.column('state', sa.String),
                 sa.column('created_at', sa.DateTime), sa.column('closed_at', sa.DateTime))
events = sa.table('audit_events', sa.column('id', sa.Integer), sa.column('instance_id', sa.String),
                  sa.column('kind', sa.String), sa.column('task_id', sa.String), sa.column('at', sa.DateTime))
payloads = sa.table('audit_payloads', sa.column('event_id', sa.Integer), sa.column('data', sa.JSON))
rates = sa.table('exchange_rates', sa.column('base', sa.String), sa.column('currency', sa.String),
                 sa.column('valid_from', sa.Date), sa.column('rate', sa.Numeric))


def _base() -> str:
    import os
    return os.environ.get('KAMFLOW_BASE_CURRENCY', 'TWD').strip().upper() or 'TWD'


def _in_base(amount, currency, on: date, table: list, base: str):
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return None
    if not currency or currency == base:
        return value.quantize(Decimal('0.01'))
    valid = [(d, r) for c, d, r in table if c == currency and d <= on]
    return (value * Decimal(str(max(valid)[1]))).quantize(Decimal('0.01')) if valid else None


def _tally(rule: str, decisions: list[str]) -> str:
    """The outcome as the process's `tally_votes` script decides it."""
    n, yes, no = len(decisions), decisions.count('approve'), decisions.count('decline')
    if rule == 'unanimous':
        passed = n > 0 and yes == n
    elif rule == 'two_thirds':
        passed = n > 0 and yes * 3 >= n * 2
    else:
        passed = yes * 2 > n
    if passed:
        return 'approve'
    if rule == 'majority' and n > 0 and yes * 2 == n:
        return 'tie'
    return 'decline' if no * 2 > n else 'return'


def _answers(conn) -> tuple[dict, dict]:
    """{task id: decision} of every completed answer with a decision; {instance: (amount, currency, day)}."""
    decisions, budgets = {}, {}
    rows = conn.execute(sa.select(events.c.instance_id, events.c.task_id, events.c.at, payloads.c.data)
                        .join(payloads, payloads.c.event_id == events.c.id)
                        .where(events.c.kind == 'completed').order_by(events.c.id))
    for instance_id, task_id, at, data in rows:
        data = json.loads(data) if isinstance(data, str) else data
        for value in (data or {}).values():
            if not isinstance(value, dict):
                continue
            if isinstance(value.get('decision'), str):
                decisions[task_id] = value['decision']
            if isinstance(value.get('budget_amount'), (int, float)):
                budgets[instance_id] = (value['budget_amount'], value.get('budget_currency'), at.date())
    return decisions, budgets


def _fill(conn) -> None:
    base = _base()
    table = [(c, d, r) for c, d, r in conn.execute(sa.select(rates.c.currency, rates.c.valid_from, rates.c.rate)
                                                   .where(rates.c.base == base))]
    decisions, budgets = _answers(conn)
    for instance_id, (amount, currency, day) in budgets.items():
        size = _in_base(amount, currency, day, table, base)
        if size is not None:
            conn.execute(instances.update().where(instances.c.id == instance_id).values(deal_size=size,
                                                                                      deal_currency=base))
    rounds: dict[tuple, list] = {}
    for row in conn.execute(sa.select(tasks).where(tasks.c.bpmn_id == VOTE_STEP).order_by(tasks.c.created_at)):
        rounds.setdefault((row.instance_id, row.created_at), []).append(row)
    rules = {}
    for instance_id in {key[0] for key in rounds}:
        workflow = conn.execute(sa.select(instances.c.workflow).where(instances.c.id == instance_id)).scalar() or ''
        found = RULE.findall(workflow)
        if found:
            rules[instance_id] = max(set(found), key=found.count)
    for (instance_id, opened), rows in rounds.items():
        if instance_id not in rules:
            continue
        states = {r.state for r in rows}
        answers = [decisions.get(r.id) for r in rows if r.state == 'completed']
        closed = None if 'open' in states else max(r.closed_at for r in rows if r.closed_at is not None)
        outcome = None
        if closed is not None:
            outcome = _tally(rules[instance_id], answers) if states == {'completed'} else (
                'rewound' if 'rewound' in states else 'cancelled')
        conn.execute(sa.text(
            'INSERT INTO committee_rounds (instance_id, step, voting_rule, members, opened_at, closed_at, outcome, '
            'approvals, returns, declines) VALUES (:i, :s, :r, :m, :o, :c, :out, :a, :ret, :d)'),
            {'i': instance_id, 's': VOTE_STEP, 'r': rules[instance_id], 'm': len(rows), 'o': opened, 'c': closed,
             'out': outcome, 'a': answers.count('approve'), 'ret': answers.count('return'),
             'd': answers.count('decline')})


def upgrade() -> None:
    with op.batch_alter_table('instances') as batch:
        batch.add_column(sa.Column('deal_size', sa.Numeric(precision=18, scale=2), nullable=True))
        batch.add_column(sa.Column('deal_currency', sa.String(length=3), nullable=True))
    op.create_table('committee_rounds',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('instance_id', sa.String(length=36), nullable=False),
    sa.Column('step', sa.String(length=200), nullable=False),
    sa.Column('voting_rule', sa.String(length=32), nullable=False),
    sa.Column('deal_size', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('deal_currency', sa.String(length=3), nullable=True),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('approvals', sa.Integer(), nullable=False),
    sa.Column('returns', sa.Integer(), nullable=False),
    sa.Column('declines', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['instances.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_committee_rounds_instance', 'committee_rounds', ['instance_id', 'closed_at'])
    op.create_index('ix_committee_rounds_report', 'committee_rounds', ['closed_at', 'voting_rule', 'outcome'])
    _fill(op.get_bind())


def downgrade() -> None:
    op.drop_index('ix_committee_rounds_report', table_name='committee_rounds')
    op.drop_index('ix_committee_rounds_instance', table_name='committee_rounds')
    op.drop_table('committee_rounds')
    with op.batch_alter_table('instances') as batch:
        batch.drop_column('deal_currency')
        batch.drop_column('deal_size')
