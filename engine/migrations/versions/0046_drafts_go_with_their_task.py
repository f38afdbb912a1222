"""a task's drafts go when it closes, whoever closes it

A completion deleted the task's drafts itself, and only when the lock had seen some; drafts of a task
a rewind, a withdrawal or a timer closed stayed behind. Now a trigger deletes them as the task's row
leaves `open`, in the statement that closes it: nothing to send for them, nothing left behind, and a
draft saved while a completion read ahead of SQLite's writers' turn (engine/db/read_ahead.py) goes too.
Existing drafts of closed tasks are deleted.

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-04
"""
from alembic import op


revision = '0046'
down_revision = '0045'
branch_labels = None
depends_on = None

_DROP = "DELETE FROM drafts WHERE task_id = NEW.id"
_CLOSED = "OLD.state = 'open' AND NEW.state <> 'open'"


def upgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("DELETE FROM drafts WHERE task_id IN (SELECT id FROM tasks WHERE state <> 'open')")
    if conn.dialect.name == 'sqlite':
        conn.exec_driver_sql(f"CREATE TRIGGER drafts_go_with_their_task AFTER UPDATE OF state ON tasks "
                             f"WHEN {_CLOSED} BEGIN {_DROP}; END")
    else:
        conn.exec_driver_sql(f"CREATE FUNCTION drafts_go_with_their_task() RETURNS trigger LANGUAGE plpgsql "
                             f"AS $$ BEGIN {_DROP}; RETURN NULL; END $$")
        conn.exec_driver_sql(f"CREATE TRIGGER drafts_go_with_their_task AFTER UPDATE OF state ON tasks "
                             f"FOR EACH ROW WHEN ({_CLOSED}) EXECUTE FUNCTION drafts_go_with_their_task()")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'sqlite':
        conn.exec_driver_sql("DROP TRIGGER drafts_go_with_their_task")
    else:
        conn.exec_driver_sql("DROP TRIGGER drafts_go_with_their_task ON tasks")
        conn.exec_driver_sql("DROP FUNCTION drafts_go_with_their_task()")
