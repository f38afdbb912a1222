"""The database moves a stream's head on to its newest event as the events go in

An append claimed the stream's head (locking it), inserted the events and their payloads, then
sent one more UPDATE to move the head to the last event's number and hash. A trigger on
`audit_events` now does that inside the INSERT: one statement fewer on every audited write.
The head only moves forward (`seq < NEW.seq`), so rows written with their heads already in
place (the big-database seeder) leave them as they are.

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-03
"""
from alembic import op


revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None

_SQLITE = ("CREATE TRIGGER audit_heads_follow AFTER INSERT ON audit_events BEGIN "
           "UPDATE audit_heads SET seq = NEW.seq, hash = NEW.hash WHERE stream = NEW.stream AND seq < NEW.seq; END")
_PG = [
    "CREATE FUNCTION kamflow_audit_heads_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE audit_heads AS h SET seq = a.seq, hash = a.hash FROM (SELECT DISTINCT ON (stream) stream, seq, hash "
    "FROM added ORDER BY stream, seq DESC) AS a WHERE h.stream = a.stream AND h.seq < a.seq; RETURN NULL; END $$",
    "CREATE TRIGGER audit_heads_follow AFTER INSERT ON audit_events REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION kamflow_audit_heads_follow()",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG:
            op.execute(statement)
    else:
        op.execute(_SQLITE)


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_heads_follow" + (" ON audit_events" if op.get_bind().dialect.name == "postgresql"
                                                    else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION kamflow_audit_heads_follow()")
