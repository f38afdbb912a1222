"""audit log: streams, hash chain, payloads stored apart, append-only in the database

Existing events become the `instance:<id>` streams, chained in id order; their data moves to
`audit_payloads`. See docs/audit.md.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
from datetime import timezone

from alembic import op
import sqlalchemy as sa

from engine import auditlog

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_events = sa.table(
    "audit_events", sa.column("id", sa.Integer), sa.column("instance_id", sa.String), sa.column("at", sa.DateTime),
    sa.column("actor", sa.String), sa.column("kind", sa.String), sa.column("task_id", sa.String),
    sa.column("bpmn_id", sa.String), sa.column("task_name", sa.String), sa.column("data", sa.JSON),
    sa.column("stream", sa.String), sa.column("seq", sa.Integer), sa.column("meta", sa.JSON),
    sa.column("payload_hash", sa.String), sa.column("prev_hash", sa.String), sa.column("hash", sa.String))
_payloads = sa.table("audit_payloads", sa.column("event_id", sa.Integer), sa.column("data", sa.JSON),
                     sa.column("erased_by", sa.Integer))
_heads = sa.table("audit_heads", sa.column("stream", sa.String), sa.column("seq", sa.Integer),
                  sa.column("hash", sa.String))

_SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]
_PG_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION kamflow_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION kamflow_audit_append_only()",
]


def upgrade() -> None:
    op.create_table('audit_heads',
                    sa.Column('stream', sa.String(length=100), nullable=False),
                    sa.Column('seq', sa.Integer(), nullable=False),
                    sa.Column('hash', sa.String(length=64), nullable=False),
                    sa.PrimaryKeyConstraint('stream'))
    with op.batch_alter_table('audit_events') as batch_op:
        for name, kind in (('stream', sa.String(length=100)), ('seq', sa.Integer()), ('meta', sa.JSON()),
                           ('payload_hash', sa.String(length=64)), ('prev_hash', sa.String(length=64)),
                           ('hash', sa.String(length=64))):
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    _chain_existing_events()
    payload_rows = _read_payloads()
    with op.batch_alter_table('audit_events') as batch_op:
        batch_op.drop_column('data')
        for name in ('stream', 'seq', 'meta', 'payload_hash', 'prev_hash', 'hash'):
            batch_op.alter_column(name, nullable=False)
        batch_op.alter_column('instance_id', existing_type=sa.String(length=36), nullable=True)
        batch_op.create_unique_constraint('uq_audit_events_stream_seq', ['stream', 'seq'])
    op.create_table('audit_payloads',
                    sa.Column('event_id', sa.Integer(), nullable=False),
                    sa.Column('data', sa.JSON(), nullable=True),
                    sa.Column('erased_by', sa.Integer(), nullable=True),
                    sa.ForeignKeyConstraint(['event_id'], ['audit_events.id']),
                    sa.PrimaryKeyConstraint('event_id'))
    if payload_rows:
        op.bulk_insert(_payloads, payload_rows)
    for statement in (_PG_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS):
        op.execute(statement)


def _chain_existing_events() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_events).order_by(_events.c.instance_id, _events.c.id)).mappings().all()
    heads, updates = {}, []
    for row in rows:
        stream = auditlog.instance_stream(row["instance_id"])
        seq, prev = heads.get(stream, (0, auditlog.GENESIS))
        data = dict(row["data"] or {})
        fields = {"stream": stream, "seq": seq + 1, "kind": row["kind"], "actor": row["actor"],
                  "at": row["at"].replace(tzinfo=timezone.utc), "instance_id": row["instance_id"],
                  "task_id": row["task_id"], "bpmn_id": row["bpmn_id"], "task_name": row["task_name"], "meta": {},
                  "payload_hash": auditlog.sha256(auditlog.canonical(data)) if data else auditlog.EMPTY_PAYLOAD_HASH,
                  "prev_hash": prev}
        digest = auditlog.event_hash(fields)
        updates.append({"b_id": row["id"], "stream": stream, "seq": seq + 1, "meta": {},
                        "payload_hash": fields["payload_hash"], "prev_hash": prev, "hash": digest})
        heads[stream] = (seq + 1, digest)
    if updates:
        bind.execute(_events.update().where(_events.c.id == sa.bindparam("b_id")).values(
            stream=sa.bindparam("stream"), seq=sa.bindparam("seq"), meta=sa.bindparam("meta"),
            payload_hash=sa.bindparam("payload_hash"), prev_hash=sa.bindparam("prev_hash"),
            hash=sa.bindparam("hash")), updates)
    if heads:
        op.bulk_insert(_heads, [{"stream": s, "seq": n, "hash": h} for s, (n, h) in heads.items()])


def _read_payloads() -> list[dict]:
    rows = op.get_bind().execute(sa.select(_events.c.id, _events.c.data)).all()
    return [{"event_id": event_id, "data": data, "erased_by": None} for event_id, data in rows if data]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS kamflow_audit_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    with op.batch_alter_table('audit_events') as batch_op:
        batch_op.add_column(sa.Column('data', sa.JSON(), nullable=True))
    payloads = bind.execute(sa.select(_payloads.c.event_id, _payloads.c.data)).all()
    for event_id, data in payloads:
        bind.execute(_events.update().where(_events.c.id == event_id).values(data=data or {}))
    bind.execute(_events.update().where(_events.c.data.is_(None)).values(data={}))
    op.drop_table('audit_payloads')
    op.drop_table('audit_heads')
    with op.batch_alter_table('audit_events') as batch_op:
        batch_op.drop_constraint('uq_audit_events_stream_seq', type_='unique')
        for name in ('stream', 'seq', 'meta', 'payload_hash', 'prev_hash', 'hash'):
            batch_op.drop_column(name)
        batch_op.alter_column('data', nullable=False)
