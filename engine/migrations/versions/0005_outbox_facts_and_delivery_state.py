"""outbox rows hold facts and delivery state, not a finished subject

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Existing rows keep working: each gets its recipient's language, no extra facts, and a
status from `sent_at` (pending ones are delivered, or skipped, by the next worker round).
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def new_columns() -> list[sa.Column]:
    return [
        sa.Column('actor', sa.String(length=64), nullable=True),
        sa.Column('locale', sa.String(length=16), nullable=True),
        sa.Column('facts', sa.JSON(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=True),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('message_id', sa.String(length=255), nullable=True),
        sa.Column('failed_at', sa.DateTime(), nullable=True),
    ]


FILLED = ('locale', 'facts', 'status', 'attempts', 'next_attempt_at')


def upgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        for column in new_columns():
            batch_op.add_column(column)
    op.execute(
        "UPDATE notifications SET "
        "locale = COALESCE((SELECT users.locale FROM users WHERE users.username = notifications.username),"
        " 'zh_Hant'), "
        "facts = '{}', "
        "status = CASE WHEN sent_at IS NULL THEN 'pending' ELSE 'sent' END, "
        "attempts = 0, "
        "next_attempt_at = created_at")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        for column in new_columns():
            if column.name in FILLED:
                batch_op.alter_column(column.name, existing_type=column.type, nullable=False)
        batch_op.drop_column('subject')
        batch_op.create_index('ix_notifications_queue', ['status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_queue')
        batch_op.add_column(sa.Column('subject', sa.String(length=300), nullable=True))
    op.execute("UPDATE notifications SET subject = kind")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('subject', existing_type=sa.String(length=300), nullable=False)
        for column in reversed(new_columns()):
            batch_op.drop_column(column.name)
