"""each contact's last activity day on its row, kept by the database, and activities indexed by rep

The relationship-coverage report counted the contacts going cold by grouping every activity by
contact on each request (the committee: 119,610 activities for 45,050 contacts, ~150 ms), and its
activities per rep and month read every activity row. Now `contacts.last_activity_on` holds the day
of the contact's latest activity (NULL: none), so going cold is one pass over the contacts, and
`ix_activities_rep` holds (recorded_by, occurred_on) for the per-rep months.

Triggers on both databases keep the day in the statement that changes it, whoever writes the
activity (the engine, the big-database seeder's plain INSERTs and COPY, a hand edit): an activity
inserted, deleted, or moved to another contact or day sets its contact's (and its old contact's)
day to the latest of that contact's activities, read from `ix_activities_contact`. Contacts with
activities before this migration are filled here, in one UPDATE.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

FILL = sa.text(
    "UPDATE contacts SET last_activity_on = (SELECT max(a.occurred_on) FROM activities AS a "
    "WHERE a.contact_id = contacts.id) WHERE EXISTS (SELECT 1 FROM activities AS a WHERE a.contact_id = contacts.id)")
TRIGGERS = {
    'sqlite': [
        "CREATE TRIGGER contact_last_activity_inserted AFTER INSERT ON activities BEGIN UPDATE contacts SET "
        "last_activity_on = (SELECT max(occurred_on) FROM activities WHERE contact_id = NEW.contact_id) "
        "WHERE id = NEW.contact_id; END",
        "CREATE TRIGGER contact_last_activity_deleted AFTER DELETE ON activities BEGIN UPDATE contacts SET "
        "last_activity_on = (SELECT max(occurred_on) FROM activities WHERE contact_id = OLD.contact_id) "
        "WHERE id = OLD.contact_id; END",
        "CREATE TRIGGER contact_last_activity_updated AFTER UPDATE OF contact_id, occurred_on ON activities "
        "WHEN OLD.contact_id IS NOT NEW.contact_id OR OLD.occurred_on IS NOT NEW.occurred_on BEGIN "
        "UPDATE contacts SET last_activity_on = (SELECT max(occurred_on) FROM activities WHERE contact_id = "
        "OLD.contact_id) WHERE id = OLD.contact_id; UPDATE contacts SET last_activity_on = (SELECT "
        "max(occurred_on) FROM activities WHERE contact_id = NEW.contact_id) WHERE id = NEW.contact_id; END",
    ],
    'postgresql': [
        "CREATE FUNCTION contact_last_activity() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = "
        "'UPDATE' AND (OLD.contact_id, OLD.occurred_on) IS NOT DISTINCT FROM (NEW.contact_id, NEW.occurred_on) "
        "THEN RETURN NULL; END IF; IF TG_OP <> 'INSERT' THEN UPDATE contacts SET last_activity_on = (SELECT "
        "max(occurred_on) FROM activities WHERE contact_id = OLD.contact_id) WHERE id = OLD.contact_id; END IF;"
        " IF TG_OP <> 'DELETE' THEN UPDATE contacts SET last_activity_on = (SELECT max(occurred_on) FROM "
        "activities WHERE contact_id = NEW.contact_id) WHERE id = NEW.contact_id; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER contact_last_activity AFTER INSERT OR DELETE OR UPDATE OF contact_id, occurred_on ON "
        "activities FOR EACH ROW EXECUTE FUNCTION contact_last_activity()",
    ],
}
DROP_TRIGGERS = {
    'sqlite': ["DROP TRIGGER contact_last_activity_inserted", "DROP TRIGGER contact_last_activity_deleted",
               "DROP TRIGGER contact_last_activity_updated"],
    'postgresql': ["DROP TRIGGER contact_last_activity ON activities", "DROP FUNCTION contact_last_activity()"],
}


def fill(conn) -> int:
    """Every contact's last activity day from its activities; how many contacts have one."""
    return conn.execute(FILL).rowcount


def keep(conn) -> None:
    """The triggers that keep the day from now on."""
    for statement in TRIGGERS[conn.dialect.name]:
        conn.exec_driver_sql(statement)


def stop_keeping(conn) -> None:
    for statement in DROP_TRIGGERS[conn.dialect.name]:
        conn.exec_driver_sql(statement)


def upgrade() -> None:
    op.add_column('contacts', sa.Column('last_activity_on', sa.Date(), nullable=True))
    fill(op.get_bind())
    keep(op.get_bind())
    op.create_index('ix_activities_rep', 'activities', ['recorded_by', 'occurred_on'])


def downgrade() -> None:
    op.drop_index('ix_activities_rep', table_name='activities')
    stop_keeping(op.get_bind())
    op.drop_column('contacts', 'last_activity_on')
