"""groups replace roles; instance numbers per process; tasks offered to named people

Roles become groups (the five roles are the well-known groups, their holders its members),
and tasks offered to `role:X` are now offered to `group:X`. Existing instances are numbered
per process in the order they started.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

WELL_KNOWN = ("admin", "chair", "committee", "manager", "rep")


def upgrade() -> None:
    groups = op.create_table('groups',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('group_members',
    sa.Column('group_name', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['group_name'], ['groups.name'], ondelete='CASCADE', onupdate='CASCADE'),
    sa.ForeignKeyConstraint(['username'], ['users.username'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_name', 'username')
    )
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_members_username'), ['username'], unique=False)

    conn = op.get_bind()
    roles = conn.execute(sa.text("SELECT username, role FROM user_roles")).all()
    names = sorted(set(WELL_KNOWN) | {role for _user, role in roles})
    now = datetime.now(timezone.utc).replace(tzinfo=None)      # stored as naive UTC, like every time here
    op.bulk_insert(groups, [{"name": n, "description": "", "created_at": now} for n in names])
    for username, role in roles:
        conn.execute(sa.text("INSERT INTO group_members (group_name, username) VALUES (:g, :u)"),
                     {"g": role, "u": username})
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_roles_role'))
    op.drop_table('user_roles')
    conn.execute(sa.text("UPDATE tasks SET candidate_group = 'group:' || substr(candidate_group, 6) "
                         "WHERE candidate_group LIKE 'role:%'"))

    op.create_table('task_candidates',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'username')
    )
    with op.batch_alter_table('task_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_candidates_username'), ['username'], unique=False)

    sequences = op.create_table('process_sequences',
    sa.Column('process_id', sa.String(length=200), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('process_id')
    )
    op.add_column('instances', sa.Column('number', sa.Integer(), nullable=True))
    counts: dict[str, int] = {}
    for iid, process_id in conn.execute(sa.text("SELECT id, process_id FROM instances ORDER BY created_at, id")):
        counts[process_id] = counts.get(process_id, 0) + 1
        conn.execute(sa.text("UPDATE instances SET number = :n WHERE id = :i"), {"n": counts[process_id], "i": iid})
    processes = {p for (p,) in conn.execute(sa.text("SELECT DISTINCT process_id FROM definitions"))} | set(counts)
    op.bulk_insert(sequences, [{"process_id": p, "last_number": counts.get(p, 0)} for p in sorted(processes)])
    op.create_index('ix_instances_number', 'instances', ['process_id', 'number'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_instances_number', table_name='instances')
    with op.batch_alter_table('instances', schema=None) as batch_op:
        batch_op.drop_column('number')
    op.drop_table('process_sequences')
    op.drop_table('task_candidates')
    op.create_table('user_roles',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['username'], ['users.username'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('username', 'role')
    )
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_roles_role'), ['role'], unique=False)
    op.execute("INSERT INTO user_roles (username, role) SELECT username, group_name FROM group_members")
    op.execute("UPDATE tasks SET candidate_group = 'role:' || substr(candidate_group, 7) "
               "WHERE candidate_group LIKE 'group:%'")
    op.drop_table('group_members')
    op.drop_table('groups')
