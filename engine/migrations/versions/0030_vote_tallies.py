"""committee rounds counted per rule, outcome, owner and UTC month as they open and close

The returns report's committee votes grouped every round in view by rule and outcome: for the
committee at 100,000 projects 63,800 rounds, each found through its project (100,000 probes), 0.4-0.6 s
of the report's 0.65 s once its decisions came from `decision_tallies` (0029). Now `vote_tallies`
holds per (process, project owner, rule, outcome, account type, UTC month the round opened) the rounds,
the votes asked for and the approvals, returns and declines; a viewer who sees every project sums it
for the whole months of the period and reads the rounds themselves only for the part-months at its
ends, by opening time (`ix_committee_rounds_opened`).

Triggers keep it as 0029's keep the decisions: a round inserted, deleted or changed (its outcome and
tally are written when it closes, rewinds or is cancelled); a project's owner, process or account
changed, or the project deleted (BEFORE its rounds cascade); an account's type changed. An open
round's outcome is kept as ''. Rounds opened before are counted here.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None

KEY = ['process_id', 'owner', 'voting_rule', 'outcome', 'account_type', 'month']
FILL = {
    'sqlite': sa.text(
        "INSERT INTO vote_tallies (process_id, owner, voting_rule, outcome, account_type, month, rounds, "
        "members, approvals, returns, declines) SELECT i.process_id, i.owner, r.voting_rule, "
        "coalesce(r.outcome, ''), coalesce(a.account_type, ''), substr(r.opened_at, 1, 7), count(*), "
        "sum(r.members), sum(r.approvals), sum(r.returns), sum(r.declines) FROM committee_rounds AS r JOIN "
        "instances AS i ON i.id = r.instance_id LEFT JOIN accounts AS a ON a.id = i.account_id WHERE true "
        "GROUP BY 1, 2, 3, 4, 5, 6"),
    'postgresql': sa.text(
        "INSERT INTO vote_tallies (process_id, owner, voting_rule, outcome, account_type, month, rounds, "
        "members, approvals, returns, declines) SELECT i.process_id, i.owner, r.voting_rule, "
        "coalesce(r.outcome, ''), coalesce(a.account_type, ''), to_char(r.opened_at, 'YYYY-MM'), count(*), "
        "sum(r.members), sum(r.approvals), sum(r.returns), sum(r.declines) FROM committee_rounds AS r JOIN "
        "instances AS i ON i.id = r.instance_id LEFT JOIN accounts AS a ON a.id = i.account_id WHERE true "
        "GROUP BY 1, 2, 3, 4, 5, 6"),
}
# SQLite: one statement per change, the round's own values or a project's rounds grouped, added
# with ON CONFLICT; PostgreSQL: a function per table, a project's rounds moved by vote_tally_rounds_of.
TRIGGERS = {
    'sqlite': [
        "CREATE TRIGGER vote_tally_round_inserted AFTER INSERT ON committee_rounds BEGIN INSERT INTO "
        "vote_tallies (process_id, owner, voting_rule, outcome, account_type, month, rounds, members, "
        "approvals, returns, declines) SELECT i.process_id, i.owner, NEW.voting_rule, coalesce(NEW.outcome, "
        "''), coalesce(a.account_type, ''), substr(NEW.opened_at, 1, 7), 1, NEW.members, NEW.approvals, "
        "NEW.returns, NEW.declines FROM instances AS i LEFT JOIN accounts AS a ON a.id = i.account_id WHERE "
        "i.id = NEW.instance_id ON CONFLICT (process_id, owner, voting_rule, outcome, account_type, month) DO"
        " UPDATE SET rounds = rounds + excluded.rounds, members = members + excluded.members, approvals = "
        "approvals + excluded.approvals, returns = returns + excluded.returns, declines = declines + "
        "excluded.declines; END",
        "CREATE TRIGGER vote_tally_round_deleted AFTER DELETE ON committee_rounds BEGIN INSERT INTO "
        "vote_tallies (process_id, owner, voting_rule, outcome, account_type, month, rounds, members, "
        "approvals, returns, declines) SELECT i.process_id, i.owner, OLD.voting_rule, coalesce(OLD.outcome, "
        "''), coalesce(a.account_type, ''), substr(OLD.opened_at, 1, 7), -1, -OLD.members, -OLD.approvals, "
        "-OLD.returns, -OLD.declines FROM instances AS i LEFT JOIN accounts AS a ON a.id = i.account_id WHERE"
        " i.id = OLD.instance_id ON CONFLICT (process_id, owner, voting_rule, outcome, account_type, month) "
        "DO UPDATE SET rounds = rounds + excluded.rounds, members = members + excluded.members, approvals = "
        "approvals + excluded.approvals, returns = returns + excluded.returns, declines = declines + "
        "excluded.declines; END",
        "CREATE TRIGGER vote_tally_round_updated AFTER UPDATE ON committee_rounds WHEN OLD.instance_id IS NOT"
        " NEW.instance_id OR OLD.voting_rule IS NOT NEW.voting_rule OR OLD.outcome IS NOT NEW.outcome OR "
        "OLD.opened_at IS NOT NEW.opened_at OR OLD.members IS NOT NEW.members OR OLD.approvals IS NOT "
        "NEW.approvals OR OLD.returns IS NOT NEW.returns OR OLD.declines IS NOT NEW.declines BEGIN INSERT "
        "INTO vote_tallies (process_id, owner, voting_rule, outcome, account_type, month, rounds, members, "
        "approvals, returns, declines) SELECT i.process_id, i.owner, OLD.voting_rule, coalesce(OLD.outcome, "
        "''), coalesce(a.account_type, ''), substr(OLD.opened_at, 1, 7), -1, -OLD.members, -OLD.approvals, "
        "-OLD.returns, -OLD.declines FROM instances AS i LEFT JOIN accounts AS a ON a.id = i.account_id WHERE"
        " i.id = OLD.instance_id ON CONFLICT (process_id, owner, voting_rule, outcome, account_type, month) "
        "DO UPDATE SET rounds = rounds + excluded.rounds, members = members + excluded.members, approvals = "
        "approvals + excluded.approvals, returns = returns + excluded.returns, declines = declines + "
        "excluded.declines; INSERT INTO vote_tallies (process_id, owner, voting_rule, outcome, account_type, "
        "month, rounds, members, approvals, returns, declines) SELECT i.process_id, i.owner, NEW.voting_rule,"
        " coalesce(NEW.outcome, ''), coalesce(a.account_type, ''), substr(NEW.opened_at, 1, 7), 1, "
        "NEW.members, NEW.approvals, NEW.returns, NEW.declines FROM instances AS i LEFT JOIN accounts AS a ON"
        " a.id = i.account_id WHERE i.id = NEW.instance_id ON CONFLICT (process_id, owner, voting_rule, "
        "outcome, account_type, month) DO UPDATE SET rounds = rounds + excluded.rounds, members = members + "
        "excluded.members, approvals = approvals + excluded.approvals, returns = returns + excluded.returns, "
        "declines = declines + excluded.declines; END",
        "CREATE TRIGGER vote_tally_project_updated AFTER UPDATE OF owner, process_id, account_id ON instances"
        " WHEN OLD.owner IS NOT NEW.owner OR OLD.process_id IS NOT NEW.process_id OR OLD.account_id IS NOT "
        "NEW.account_id BEGIN INSERT INTO vote_tallies (process_id, owner, voting_rule, outcome, "
        "account_type, month, rounds, members, approvals, returns, declines) SELECT i.process_id, i.owner, "
        "r.voting_rule, coalesce(r.outcome, ''), coalesce((SELECT account_type FROM accounts WHERE id = "
        "i.account_id), ''), substr(r.opened_at, 1, 7), -count(*), -sum(r.members), -sum(r.approvals), "
        "-sum(r.returns), -sum(r.declines) FROM (SELECT OLD.id AS id, OLD.process_id AS process_id, OLD.owner"
        " AS owner, OLD.account_id AS account_id) AS i JOIN committee_rounds AS r ON r.instance_id = i.id "
        "WHERE i.id = OLD.id GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT (process_id, owner, voting_rule, outcome, "
        "account_type, month) DO UPDATE SET rounds = rounds + excluded.rounds, members = members + "
        "excluded.members, approvals = approvals + excluded.approvals, returns = returns + excluded.returns, "
        "declines = declines + excluded.declines; INSERT INTO vote_tallies (process_id, owner, voting_rule, "
        "outcome, account_type, month, rounds, members, approvals, returns, declines) SELECT i.process_id, "
        "i.owner, r.voting_rule, coalesce(r.outcome, ''), coalesce((SELECT account_type FROM accounts WHERE "
        "id = i.account_id), ''), substr(r.opened_at, 1, 7), count(*), sum(r.members), sum(r.approvals), "
        "sum(r.returns), sum(r.declines) FROM instances AS i JOIN committee_rounds AS r ON r.instance_id = "
        "i.id WHERE i.id = NEW.id GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT (process_id, owner, voting_rule, "
        "outcome, account_type, month) DO UPDATE SET rounds = rounds + excluded.rounds, members = members + "
        "excluded.members, approvals = approvals + excluded.approvals, returns = returns + excluded.returns, "
        "declines = declines + excluded.declines; END",
        "CREATE TRIGGER vote_tally_project_deleted BEFORE DELETE ON instances BEGIN INSERT INTO vote_tallies "
        "(process_id, owner, voting_rule, outcome, account_type, month, rounds, members, approvals, returns, "
        "declines) SELECT i.process_id, i.owner, r.voting_rule, coalesce(r.outcome, ''), coalesce((SELECT "
        "account_type FROM accounts WHERE id = i.account_id), ''), substr(r.opened_at, 1, 7), -count(*), "
        "-sum(r.members), -sum(r.approvals), -sum(r.returns), -sum(r.declines) FROM instances AS i JOIN "
        "committee_rounds AS r ON r.instance_id = i.id WHERE i.id = OLD.id GROUP BY 1, 2, 3, 4, 5, 6 ON "
        "CONFLICT (process_id, owner, voting_rule, outcome, account_type, month) DO UPDATE SET rounds = "
        "rounds + excluded.rounds, members = members + excluded.members, approvals = approvals + "
        "excluded.approvals, returns = returns + excluded.returns, declines = declines + excluded.declines; "
        "END",
        "CREATE TRIGGER vote_tally_account_type_updated AFTER UPDATE OF account_type ON accounts WHEN "
        "OLD.account_type IS NOT NEW.account_type BEGIN INSERT INTO vote_tallies (process_id, owner, "
        "voting_rule, outcome, account_type, month, rounds, members, approvals, returns, declines) SELECT "
        "i.process_id, i.owner, r.voting_rule, coalesce(r.outcome, ''), OLD.account_type, substr(r.opened_at,"
        " 1, 7), -count(*), -sum(r.members), -sum(r.approvals), -sum(r.returns), -sum(r.declines) FROM "
        "instances AS i JOIN committee_rounds AS r ON r.instance_id = i.id WHERE i.account_id = OLD.id GROUP "
        "BY 1, 2, 3, 4, 5, 6 ON CONFLICT (process_id, owner, voting_rule, outcome, account_type, month) DO "
        "UPDATE SET rounds = rounds + excluded.rounds, members = members + excluded.members, approvals = "
        "approvals + excluded.approvals, returns = returns + excluded.returns, declines = declines + "
        "excluded.declines; INSERT INTO vote_tallies (process_id, owner, voting_rule, outcome, account_type, "
        "month, rounds, members, approvals, returns, declines) SELECT i.process_id, i.owner, r.voting_rule, "
        "coalesce(r.outcome, ''), NEW.account_type, substr(r.opened_at, 1, 7), count(*), sum(r.members), "
        "sum(r.approvals), sum(r.returns), sum(r.declines) FROM instances AS i JOIN committee_rounds AS r ON "
        "r.instance_id = i.id WHERE i.account_id = NEW.id GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT (process_id, "
        "owner, voting_rule, outcome, account_type, month) DO UPDATE SET rounds = rounds + excluded.rounds, "
        "members = members + excluded.members, approvals = approvals + excluded.approvals, returns = returns "
        "+ excluded.returns, declines = declines + excluded.declines; END",
    ],
    'postgresql': [
        "CREATE FUNCTION vote_tally_round() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'UPDATE' "
        "AND (OLD.instance_id, OLD.voting_rule, OLD.outcome, OLD.opened_at, OLD.members, OLD.approvals, "
        "OLD.returns, OLD.declines) IS NOT DISTINCT FROM (NEW.instance_id, NEW.voting_rule, NEW.outcome, "
        "NEW.opened_at, NEW.members, NEW.approvals, NEW.returns, NEW.declines) THEN RETURN NULL; END IF; IF "
        "TG_OP <> 'INSERT' THEN INSERT INTO vote_tallies AS v (process_id, owner, voting_rule, outcome, "
        "account_type, month, rounds, members, approvals, returns, declines) SELECT i.process_id, i.owner, "
        "OLD.voting_rule, coalesce(OLD.outcome, ''), coalesce(a.account_type, ''), to_char(OLD.opened_at, "
        "'YYYY-MM'), -1, -OLD.members, -OLD.approvals, -OLD.returns, -OLD.declines FROM instances AS i LEFT "
        "JOIN accounts AS a ON a.id = i.account_id WHERE i.id = OLD.instance_id ON CONFLICT (process_id, "
        "owner, voting_rule, outcome, account_type, month) DO UPDATE SET rounds = v.rounds + excluded.rounds,"
        " members = v.members + excluded.members, approvals = v.approvals + excluded.approvals, returns = "
        "v.returns + excluded.returns, declines = v.declines + excluded.declines; END IF; IF TG_OP <> "
        "'DELETE' THEN INSERT INTO vote_tallies AS v (process_id, owner, voting_rule, outcome, account_type, "
        "month, rounds, members, approvals, returns, declines) SELECT i.process_id, i.owner, NEW.voting_rule,"
        " coalesce(NEW.outcome, ''), coalesce(a.account_type, ''), to_char(NEW.opened_at, 'YYYY-MM'), 1, "
        "NEW.members, NEW.approvals, NEW.returns, NEW.declines FROM instances AS i LEFT JOIN accounts AS a ON"
        " a.id = i.account_id WHERE i.id = NEW.instance_id ON CONFLICT (process_id, owner, voting_rule, "
        "outcome, account_type, month) DO UPDATE SET rounds = v.rounds + excluded.rounds, members = v.members"
        " + excluded.members, approvals = v.approvals + excluded.approvals, returns = v.returns + "
        "excluded.returns, declines = v.declines + excluded.declines; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER vote_tally_round AFTER INSERT OR DELETE OR UPDATE ON committee_rounds FOR EACH ROW "
        "EXECUTE FUNCTION vote_tally_round()",
        "CREATE FUNCTION vote_tally_rounds_of(project text, process text, project_owner text, kind text, sign"
        " integer) RETURNS void LANGUAGE sql AS $$ INSERT INTO vote_tallies AS v (process_id, owner, "
        "voting_rule, outcome, account_type, month, rounds, members, approvals, returns, declines) SELECT "
        "process, project_owner, r.voting_rule, coalesce(r.outcome, ''), coalesce(kind, ''), "
        "to_char(r.opened_at, 'YYYY-MM'), sign * count(*), sign * sum(r.members), sign * sum(r.approvals), "
        "sign * sum(r.returns), sign * sum(r.declines) FROM committee_rounds AS r WHERE r.instance_id = "
        "project GROUP BY 3, 4, 6 ON CONFLICT (process_id, owner, voting_rule, outcome, account_type, month) "
        "DO UPDATE SET rounds = v.rounds + excluded.rounds, members = v.members + excluded.members, approvals"
        " = v.approvals + excluded.approvals, returns = v.returns + excluded.returns, declines = v.declines +"
        " excluded.declines $$",
        "CREATE FUNCTION vote_tally_project() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = "
        "'UPDATE' AND (OLD.owner, OLD.process_id, OLD.account_id) IS NOT DISTINCT FROM (NEW.owner, "
        "NEW.process_id, NEW.account_id) THEN RETURN NULL; END IF; PERFORM vote_tally_rounds_of(OLD.id, "
        "OLD.process_id, OLD.owner, (SELECT account_type FROM accounts WHERE id = OLD.account_id), -1); IF "
        "TG_OP = 'UPDATE' THEN PERFORM vote_tally_rounds_of(NEW.id, NEW.process_id, NEW.owner, (SELECT "
        "account_type FROM accounts WHERE id = NEW.account_id), 1); END IF; RETURN OLD; END $$",
        "CREATE TRIGGER vote_tally_project_updated AFTER UPDATE OF owner, process_id, account_id ON instances"
        " FOR EACH ROW EXECUTE FUNCTION vote_tally_project()",
        "CREATE TRIGGER vote_tally_project_deleted BEFORE DELETE ON instances FOR EACH ROW EXECUTE FUNCTION "
        "vote_tally_project()",
        "CREATE FUNCTION vote_tally_account() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM "
        "vote_tally_rounds_of(i.id, i.process_id, i.owner, OLD.account_type, -1), vote_tally_rounds_of(i.id, "
        "i.process_id, i.owner, NEW.account_type, 1) FROM instances AS i WHERE i.account_id = NEW.id; RETURN "
        "NULL; END $$",
        "CREATE TRIGGER vote_tally_account AFTER UPDATE OF account_type ON accounts FOR EACH ROW WHEN "
        "(OLD.account_type IS DISTINCT FROM NEW.account_type) EXECUTE FUNCTION vote_tally_account()",
    ],
}

DROP_TRIGGERS = {
    'sqlite': ["DROP TRIGGER vote_tally_round_inserted", "DROP TRIGGER vote_tally_round_deleted",
               "DROP TRIGGER vote_tally_round_updated", "DROP TRIGGER vote_tally_project_updated",
               "DROP TRIGGER vote_tally_project_deleted", "DROP TRIGGER vote_tally_account_type_updated"],
    'postgresql': ["DROP TRIGGER vote_tally_round ON committee_rounds",
                   "DROP TRIGGER vote_tally_project_updated ON instances",
                   "DROP TRIGGER vote_tally_project_deleted ON instances",
                   "DROP TRIGGER vote_tally_account ON accounts", "DROP FUNCTION vote_tally_round()",
                   "DROP FUNCTION vote_tally_project()", "DROP FUNCTION vote_tally_account()",
                   "DROP FUNCTION vote_tally_rounds_of(text, text, text, text, integer)"],
}


def fill(conn) -> int:
    """Count every round into the (empty) table; how many keys it made."""
    return conn.execute(FILL[conn.dialect.name]).rowcount


def keep(conn) -> None:
    for statement in TRIGGERS[conn.dialect.name]:
        conn.exec_driver_sql(statement)


def stop_keeping(conn) -> None:
    for statement in DROP_TRIGGERS[conn.dialect.name]:
        conn.exec_driver_sql(statement)


def upgrade() -> None:
    op.create_table(
        'vote_tallies',
        sa.Column('process_id', sa.String(length=200), nullable=False),
        sa.Column('owner', sa.String(length=64), nullable=False),
        sa.Column('voting_rule', sa.String(length=32), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('account_type', sa.String(length=16), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('rounds', sa.Integer(), nullable=False),
        sa.Column('members', sa.Integer(), nullable=False),
        sa.Column('approvals', sa.Integer(), nullable=False),
        sa.Column('returns', sa.Integer(), nullable=False),
        sa.Column('declines', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY), sqlite_with_rowid=False)
    fill(op.get_bind())
    keep(op.get_bind())
    op.create_index('ix_committee_rounds_opened', 'committee_rounds',
                    ['opened_at', 'instance_id', 'voting_rule', 'outcome', 'members', 'approvals', 'returns',
                     'declines'])


def downgrade() -> None:
    op.drop_index('ix_committee_rounds_opened', table_name='committee_rounds')
    stop_keeping(op.get_bind())
    op.drop_table('vote_tallies')
