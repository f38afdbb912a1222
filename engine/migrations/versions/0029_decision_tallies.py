"""decisions counted per step, owner, reason and UTC month as they are given, kept by the database

The returns report grouped every decided task row in view: for the committee (every project) at
100,000 projects 399,300 rows joined to their projects and grouped on each request, 0.6-1.4 s. Now
`decision_tallies` holds, per (process, project owner, account type of its account, step, decision,
reason code, first decision, UTC month of the decision), how many decided rows there are; a viewer
who sees every project sums these rows (~1,000 keys a month) and reads the decided rows themselves only
for the part-months at a period's ends, through `ix_tasks_decided_at` (by closing time, partial:
decided rows only, covering).

Triggers keep the counts in the statement that changes what they count, whoever writes it (the
engine's completing UPDATE, a withdrawal or rewind, the big-database seeder's copied rows, a hand
edit): a decided task row inserted, deleted, or changed in its project, step, decision, reason, first
flag or closing time; a project's owner, process or account changed, or the project deleted (BEFORE
its rows cascade: then its task rows' own triggers no longer find it); an account's type changed. A
count that falls to 0 stays as a row of 0. Rows decided before are counted here, in one INSERT ...
SELECT ... GROUP BY.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

DECIDED = sa.text('decision IS NOT NULL')
# by process and owner first, then the report's groups: SQLite sums them in this order, without a sort
KEY = ['process_id', 'owner', 'step', 'decision', 'reason_code', 'first_decision', 'account_type', 'month']
FILL = {
    'sqlite': sa.text(
        "INSERT INTO decision_tallies (process_id, owner, account_type, step, decision, reason_code, first_decision, "
        "month, n) SELECT i.process_id, i.owner, coalesce(a.account_type, ''), t.bpmn_id, t.decision, "
        "coalesce(t.reason_code, ''), coalesce(t.first_decision, false), coalesce(substr(t.closed_at, 1, 7), ''), "
        "count(*) FROM tasks AS t JOIN instances AS i ON i.id = t.instance_id "
        "LEFT JOIN accounts AS a ON a.id = i.account_id WHERE t.decision IS NOT NULL "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"),
    'postgresql': sa.text(
        "INSERT INTO decision_tallies (process_id, owner, account_type, step, decision, reason_code, first_decision, "
        "month, n) SELECT i.process_id, i.owner, coalesce(a.account_type, ''), t.bpmn_id, t.decision, "
        "coalesce(t.reason_code, ''), coalesce(t.first_decision, false), "
        "coalesce(to_char(t.closed_at, 'YYYY-MM'), ''), count(*) FROM tasks AS t "
        "JOIN instances AS i ON i.id = t.instance_id LEFT JOIN accounts AS a ON a.id = i.account_id "
        "WHERE t.decision IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"),
}
# SQLite: one statement per change, the row's own values (a task) or its decided rows grouped (a
# project, an account), added with ON CONFLICT (the SELECT needs its WHERE for SQLite to parse the
# upsert); a project's old values are a one-row table the grouped statement joins. PostgreSQL: a
# function per table; a project's rows move from one key to another by decision_tally_rows_of.
TRIGGERS = {
    'sqlite': [
        "CREATE TRIGGER decision_tally_task_inserted AFTER INSERT ON tasks WHEN NEW.decision IS NOT NULL "
        "BEGIN INSERT INTO decision_tallies (process_id, owner, account_type, step, decision, reason_code, "
        "first_decision, month, n) SELECT i.process_id, i.owner, coalesce(a.account_type, ''), NEW.bpmn_id, "
        "NEW.decision, coalesce(NEW.reason_code, ''), coalesce(NEW.first_decision, false), "
        "coalesce(substr(NEW.closed_at, 1, 7), ''), 1 FROM instances AS i LEFT JOIN accounts AS a ON a.id = "
        "i.account_id WHERE i.id = NEW.instance_id AND NEW.decision IS NOT NULL ON CONFLICT (process_id, "
        "owner, account_type, step, decision, reason_code, first_decision, month) DO UPDATE SET n = n + "
        "excluded.n; END",
        "CREATE TRIGGER decision_tally_task_deleted AFTER DELETE ON tasks WHEN OLD.decision IS NOT NULL BEGIN"
        " INSERT INTO decision_tallies (process_id, owner, account_type, step, decision, reason_code, "
        "first_decision, month, n) SELECT i.process_id, i.owner, coalesce(a.account_type, ''), OLD.bpmn_id, "
        "OLD.decision, coalesce(OLD.reason_code, ''), coalesce(OLD.first_decision, false), "
        "coalesce(substr(OLD.closed_at, 1, 7), ''), -1 FROM instances AS i LEFT JOIN accounts AS a ON a.id = "
        "i.account_id WHERE i.id = OLD.instance_id AND OLD.decision IS NOT NULL ON CONFLICT (process_id, "
        "owner, account_type, step, decision, reason_code, first_decision, month) DO UPDATE SET n = n + "
        "excluded.n; END",
        "CREATE TRIGGER decision_tally_task_updated AFTER UPDATE OF instance_id, bpmn_id, decision, "
        "reason_code, first_decision, closed_at ON tasks WHEN (OLD.decision IS NOT NULL OR NEW.decision IS "
        "NOT NULL) AND (OLD.instance_id IS NOT NEW.instance_id OR OLD.bpmn_id IS NOT NEW.bpmn_id OR "
        "OLD.decision IS NOT NEW.decision OR OLD.reason_code IS NOT NEW.reason_code OR OLD.first_decision IS "
        "NOT NEW.first_decision OR OLD.closed_at IS NOT NEW.closed_at) BEGIN INSERT INTO decision_tallies "
        "(process_id, owner, account_type, step, decision, reason_code, first_decision, month, n) SELECT "
        "i.process_id, i.owner, coalesce(a.account_type, ''), OLD.bpmn_id, OLD.decision, "
        "coalesce(OLD.reason_code, ''), coalesce(OLD.first_decision, false), coalesce(substr(OLD.closed_at, "
        "1, 7), ''), -1 FROM instances AS i LEFT JOIN accounts AS a ON a.id = i.account_id WHERE i.id = "
        "OLD.instance_id AND OLD.decision IS NOT NULL ON CONFLICT (process_id, owner, account_type, step, "
        "decision, reason_code, first_decision, month) DO UPDATE SET n = n + excluded.n; INSERT INTO "
        "decision_tallies (process_id, owner, account_type, step, decision, reason_code, first_decision, "
        "month, n) SELECT i.process_id, i.owner, coalesce(a.account_type, ''), NEW.bpmn_id, NEW.decision, "
        "coalesce(NEW.reason_code, ''), coalesce(NEW.first_decision, false), coalesce(substr(NEW.closed_at, "
        "1, 7), ''), 1 FROM instances AS i LEFT JOIN accounts AS a ON a.id = i.account_id WHERE i.id = "
        "NEW.instance_id AND NEW.decision IS NOT NULL ON CONFLICT (process_id, owner, account_type, step, "
        "decision, reason_code, first_decision, month) DO UPDATE SET n = n + excluded.n; END",
        "CREATE TRIGGER decision_tally_project_updated AFTER UPDATE OF owner, process_id, account_id ON "
        "instances WHEN OLD.owner IS NOT NEW.owner OR OLD.process_id IS NOT NEW.process_id OR OLD.account_id "
        "IS NOT NEW.account_id BEGIN INSERT INTO decision_tallies (process_id, owner, account_type, step, "
        "decision, reason_code, first_decision, month, n) SELECT i.process_id, i.owner, coalesce((SELECT "
        "account_type FROM accounts WHERE id = i.account_id), ''), t.bpmn_id, t.decision, "
        "coalesce(t.reason_code, ''), coalesce(t.first_decision, false), coalesce(substr(t.closed_at, 1, 7), "
        "''), -count(*) FROM (SELECT OLD.id AS id, OLD.process_id AS process_id, OLD.owner AS owner, "
        "OLD.account_id AS account_id) AS i JOIN tasks AS t ON t.instance_id = i.id WHERE i.id = OLD.id AND "
        "t.decision IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ON CONFLICT (process_id, owner, account_type,"
        " step, decision, reason_code, first_decision, month) DO UPDATE SET n = n + excluded.n; INSERT INTO "
        "decision_tallies (process_id, owner, account_type, step, decision, reason_code, first_decision, "
        "month, n) SELECT i.process_id, i.owner, coalesce((SELECT account_type FROM accounts WHERE id = "
        "i.account_id), ''), t.bpmn_id, t.decision, coalesce(t.reason_code, ''), coalesce(t.first_decision, "
        "false), coalesce(substr(t.closed_at, 1, 7), ''), count(*) FROM instances AS i JOIN tasks AS t ON "
        "t.instance_id = i.id WHERE i.id = NEW.id AND t.decision IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 "
        "ON CONFLICT (process_id, owner, account_type, step, decision, reason_code, first_decision, month) DO"
        " UPDATE SET n = n + excluded.n; END",
        "CREATE TRIGGER decision_tally_project_deleted BEFORE DELETE ON instances BEGIN INSERT INTO "
        "decision_tallies (process_id, owner, account_type, step, decision, reason_code, first_decision, "
        "month, n) SELECT i.process_id, i.owner, coalesce((SELECT account_type FROM accounts WHERE id = "
        "i.account_id), ''), t.bpmn_id, t.decision, coalesce(t.reason_code, ''), coalesce(t.first_decision, "
        "false), coalesce(substr(t.closed_at, 1, 7), ''), -count(*) FROM instances AS i JOIN tasks AS t ON "
        "t.instance_id = i.id WHERE i.id = OLD.id AND t.decision IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 "
        "ON CONFLICT (process_id, owner, account_type, step, decision, reason_code, first_decision, month) DO"
        " UPDATE SET n = n + excluded.n; END",
        "CREATE TRIGGER decision_tally_account_type_updated AFTER UPDATE OF account_type ON accounts WHEN "
        "OLD.account_type IS NOT NEW.account_type BEGIN INSERT INTO decision_tallies (process_id, owner, "
        "account_type, step, decision, reason_code, first_decision, month, n) SELECT i.process_id, i.owner, "
        "OLD.account_type, t.bpmn_id, t.decision, coalesce(t.reason_code, ''), coalesce(t.first_decision, "
        "false), coalesce(substr(t.closed_at, 1, 7), ''), -count(*) FROM instances AS i JOIN tasks AS t ON "
        "t.instance_id = i.id WHERE i.account_id = OLD.id AND t.decision IS NOT NULL GROUP BY 1, 2, 3, 4, 5, "
        "6, 7, 8 ON CONFLICT (process_id, owner, account_type, step, decision, reason_code, first_decision, "
        "month) DO UPDATE SET n = n + excluded.n; INSERT INTO decision_tallies (process_id, owner, "
        "account_type, step, decision, reason_code, first_decision, month, n) SELECT i.process_id, i.owner, "
        "NEW.account_type, t.bpmn_id, t.decision, coalesce(t.reason_code, ''), coalesce(t.first_decision, "
        "false), coalesce(substr(t.closed_at, 1, 7), ''), count(*) FROM instances AS i JOIN tasks AS t ON "
        "t.instance_id = i.id WHERE i.account_id = NEW.id AND t.decision IS NOT NULL GROUP BY 1, 2, 3, 4, 5, "
        "6, 7, 8 ON CONFLICT (process_id, owner, account_type, step, decision, reason_code, first_decision, "
        "month) DO UPDATE SET n = n + excluded.n; END",
    ],
    'postgresql': [
        "CREATE FUNCTION decision_tally_task() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = "
        "'UPDATE' AND (OLD.instance_id, OLD.bpmn_id, OLD.decision, OLD.reason_code, OLD.first_decision, "
        "OLD.closed_at) IS NOT DISTINCT FROM (NEW.instance_id, NEW.bpmn_id, NEW.decision, NEW.reason_code, "
        "NEW.first_decision, NEW.closed_at) THEN RETURN NULL; END IF; IF TG_OP <> 'INSERT' AND OLD.decision "
        "IS NOT NULL THEN INSERT INTO decision_tallies AS d (process_id, owner, account_type, step, decision,"
        " reason_code, first_decision, month, n) SELECT i.process_id, i.owner, coalesce(a.account_type, ''), "
        "OLD.bpmn_id, OLD.decision, coalesce(OLD.reason_code, ''), coalesce(OLD.first_decision, false), "
        "coalesce(to_char(OLD.closed_at, 'YYYY-MM'), ''), -1 FROM instances AS i LEFT JOIN accounts AS a ON "
        "a.id = i.account_id WHERE i.id = OLD.instance_id ON CONFLICT (process_id, owner, account_type, step,"
        " decision, reason_code, first_decision, month) DO UPDATE SET n = d.n + EXCLUDED.n; END IF; IF TG_OP "
        "<> 'DELETE' AND NEW.decision IS NOT NULL THEN INSERT INTO decision_tallies AS d (process_id, owner, "
        "account_type, step, decision, reason_code, first_decision, month, n) SELECT i.process_id, i.owner, "
        "coalesce(a.account_type, ''), NEW.bpmn_id, NEW.decision, coalesce(NEW.reason_code, ''), "
        "coalesce(NEW.first_decision, false), coalesce(to_char(NEW.closed_at, 'YYYY-MM'), ''), 1 FROM "
        "instances AS i LEFT JOIN accounts AS a ON a.id = i.account_id WHERE i.id = NEW.instance_id ON "
        "CONFLICT (process_id, owner, account_type, step, decision, reason_code, first_decision, month) DO "
        "UPDATE SET n = d.n + EXCLUDED.n; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER decision_tally_task AFTER INSERT OR DELETE OR UPDATE OF instance_id, bpmn_id, "
        "decision, reason_code, first_decision, closed_at ON tasks FOR EACH ROW EXECUTE FUNCTION "
        "decision_tally_task()",
        "CREATE FUNCTION decision_tally_rows_of(project text, process text, project_owner text, kind text, "
        "sign integer) RETURNS void LANGUAGE sql AS $$ INSERT INTO decision_tallies AS d (process_id, owner, "
        "account_type, step, decision, reason_code, first_decision, month, n) SELECT process, project_owner, "
        "coalesce(kind, ''), t.bpmn_id, t.decision, coalesce(t.reason_code, ''), coalesce(t.first_decision, "
        "false), coalesce(to_char(t.closed_at, 'YYYY-MM'), ''), sign * count(*) FROM tasks AS t WHERE "
        "t.instance_id = project AND t.decision IS NOT NULL GROUP BY 4, 5, 6, 7, 8 ON CONFLICT (process_id, "
        "owner, account_type, step, decision, reason_code, first_decision, month) DO UPDATE SET n = d.n + "
        "EXCLUDED.n $$",
        "CREATE FUNCTION decision_tally_project() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = "
        "'UPDATE' AND (OLD.owner, OLD.process_id, OLD.account_id) IS NOT DISTINCT FROM (NEW.owner, "
        "NEW.process_id, NEW.account_id) THEN RETURN NULL; END IF; PERFORM decision_tally_rows_of(OLD.id, "
        "OLD.process_id, OLD.owner, (SELECT account_type FROM accounts WHERE id = OLD.account_id), -1); IF "
        "TG_OP = 'UPDATE' THEN PERFORM decision_tally_rows_of(NEW.id, NEW.process_id, NEW.owner, (SELECT "
        "account_type FROM accounts WHERE id = NEW.account_id), 1); END IF; RETURN OLD; END $$",
        "CREATE TRIGGER decision_tally_project_updated AFTER UPDATE OF owner, process_id, account_id ON "
        "instances FOR EACH ROW EXECUTE FUNCTION decision_tally_project()",
        "CREATE TRIGGER decision_tally_project_deleted BEFORE DELETE ON instances FOR EACH ROW EXECUTE "
        "FUNCTION decision_tally_project()",
        "CREATE FUNCTION decision_tally_account() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM "
        "decision_tally_rows_of(i.id, i.process_id, i.owner, OLD.account_type, -1), "
        "decision_tally_rows_of(i.id, i.process_id, i.owner, NEW.account_type, 1) FROM instances AS i WHERE "
        "i.account_id = NEW.id; RETURN NULL; END $$",
        "CREATE TRIGGER decision_tally_account AFTER UPDATE OF account_type ON accounts FOR EACH ROW WHEN "
        "(OLD.account_type IS DISTINCT FROM NEW.account_type) EXECUTE FUNCTION decision_tally_account()",
    ],
}

DROP_TRIGGERS = {
    'sqlite': ["DROP TRIGGER decision_tally_task_inserted", "DROP TRIGGER decision_tally_task_deleted",
               "DROP TRIGGER decision_tally_task_updated", "DROP TRIGGER decision_tally_project_updated",
               "DROP TRIGGER decision_tally_project_deleted", "DROP TRIGGER decision_tally_account_type_updated"],
    'postgresql': ["DROP TRIGGER decision_tally_task ON tasks", "DROP TRIGGER decision_tally_project_updated ON instances",
                   "DROP TRIGGER decision_tally_project_deleted ON instances",
                   "DROP TRIGGER decision_tally_account ON accounts", "DROP FUNCTION decision_tally_task()",
                   "DROP FUNCTION decision_tally_project()", "DROP FUNCTION decision_tally_account()",
                   "DROP FUNCTION decision_tally_rows_of(text, text, text, text, integer)"],
}


def fill(conn) -> int:
    """Count every decided row into the (empty) table; how many keys it made."""
    return conn.execute(FILL[conn.dialect.name]).rowcount


def keep(conn) -> None:
    """The triggers that keep the counts from now on."""
    for statement in TRIGGERS[conn.dialect.name]:
        conn.exec_driver_sql(statement)


def stop_keeping(conn) -> None:
    for statement in DROP_TRIGGERS[conn.dialect.name]:
        conn.exec_driver_sql(statement)


def upgrade() -> None:
    op.create_table(
        'decision_tallies',
        sa.Column('process_id', sa.String(length=200), nullable=False),
        sa.Column('owner', sa.String(length=64), nullable=False),
        sa.Column('account_type', sa.String(length=16), nullable=False),
        sa.Column('step', sa.String(length=200), nullable=False),
        sa.Column('decision', sa.String(length=64), nullable=False),
        sa.Column('reason_code', sa.String(length=200), nullable=False),
        sa.Column('first_decision', sa.Boolean(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY), sqlite_with_rowid=False)
    fill(op.get_bind())
    keep(op.get_bind())
    op.create_index('ix_tasks_decided_at', 'tasks',
                    ['closed_at', 'instance_id', 'bpmn_id', 'decision', 'reason_code', 'first_decision'],
                    sqlite_where=DECIDED, postgresql_where=DECIDED)


def downgrade() -> None:
    op.drop_index('ix_tasks_decided_at', table_name='tasks')
    stop_keeping(op.get_bind())
    op.drop_table('decision_tallies')
