"""the admin's lists read indexes: instances by last change (and status), incidents and the
outbox by id (and status); search by name through pg_trgm (PostgreSQL) or FTS5 (SQLite)

Each list is paged by key (engine/db/keyset.py) on an index that ends in its order. Search
stays "contains, as typed": PostgreSQL's ILIKE uses trigram GIN indexes on the two names,
made only when the role may create the `pg_trgm` extension (otherwise the migration goes on
without them, says so, and docs/deploy.md shows what a database owner runs later). SQLite
keeps the names in a narrow table `instance_names` (triggers on instances write it; its
INTEGER PRIMARY KEY survives VACUUM, which may renumber the instances' own rowids), indexed
by an FTS5 table with the trigram tokenizer over it; a search shorter than three characters,
which no trigram can serve, scans the narrow table instead of the instances.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None
log = logging.getLogger("alembic.runtime.migration")
OPEN = sa.text("resolved_at IS NULL")

SQLITE_SEARCH = [
    "CREATE TABLE instance_names (key INTEGER PRIMARY KEY, instance_id VARCHAR(36) NOT NULL UNIQUE, "
    "project_name TEXT NOT NULL DEFAULT '', account_name TEXT NOT NULL DEFAULT '')",
    "CREATE VIRTUAL TABLE instances_search USING fts5(project_name, account_name, content='instance_names', "
    "content_rowid='key', tokenize='trigram')",
    "CREATE TRIGGER instances_search_insert AFTER INSERT ON instances BEGIN "
    "INSERT INTO instance_names (instance_id, project_name, account_name) "
    "VALUES (new.id, coalesce(new.project_name, ''), coalesce(new.account_name, '')); "
    "INSERT INTO instances_search (rowid, project_name, account_name) "
    "SELECT key, project_name, account_name FROM instance_names WHERE instance_id = new.id; END",
    "CREATE TRIGGER instances_search_update AFTER UPDATE OF project_name, account_name ON instances BEGIN "
    "INSERT INTO instances_search (instances_search, rowid, project_name, account_name) "
    "SELECT 'delete', key, project_name, account_name FROM instance_names WHERE instance_id = old.id; "
    "UPDATE instance_names SET project_name = coalesce(new.project_name, ''), "
    "account_name = coalesce(new.account_name, '') WHERE instance_id = new.id; "
    "INSERT INTO instances_search (rowid, project_name, account_name) "
    "SELECT key, project_name, account_name FROM instance_names WHERE instance_id = new.id; END",
    "CREATE TRIGGER instances_search_delete AFTER DELETE ON instances BEGIN "
    "INSERT INTO instances_search (instances_search, rowid, project_name, account_name) "
    "SELECT 'delete', key, project_name, account_name FROM instance_names WHERE instance_id = old.id; "
    "DELETE FROM instance_names WHERE instance_id = old.id; END",
    "INSERT INTO instance_names (instance_id, project_name, account_name) "
    "SELECT id, coalesce(project_name, ''), coalesce(account_name, '') FROM instances ORDER BY rowid",
    "INSERT INTO instances_search (instances_search) VALUES ('rebuild')",
]


def _trigram_schema(bind) -> str | None:
    """The schema holding pg_trgm, creating the extension if it is missing and we may."""
    found = bind.execute(sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                 "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")).scalar()
    if found:
        return found
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm is not available (%s): searching instances by name reads every instance; "
                    "see docs/deploy.md to add the trigram indexes later", str(exc.orig).strip())
        return None
    return bind.execute(sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")).scalar()


def upgrade() -> None:
    op.create_index('ix_instances_updated', 'instances', ['updated_at', 'id'])
    op.create_index('ix_instances_status_updated', 'instances', ['status', 'updated_at', 'id'])
    op.create_index('ix_incidents_open', 'incidents', ['id'], sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_notifications_status_id', 'notifications', ['status', 'id'])
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for statement in SQLITE_SEARCH:
            op.execute(statement)
        return
    schema = _trigram_schema(bind)
    if schema:
        for column in ('project_name', 'account_name'):
            op.execute(f'CREATE INDEX ix_instances_{column}_trgm ON instances USING gin '
                       f'({column} "{schema}".gin_trgm_ops)')


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for name in ('instances_search_insert', 'instances_search_update', 'instances_search_delete'):
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
        op.execute('DROP TABLE IF EXISTS instances_search')
        op.execute('DROP TABLE IF EXISTS instance_names')
    else:
        for column in ('project_name', 'account_name'):
            op.execute(f'DROP INDEX IF EXISTS ix_instances_{column}_trgm')
    op.drop_index('ix_notifications_status_id', table_name='notifications')
    op.drop_index('ix_incidents_open', table_name='incidents')
    op.drop_index('ix_instances_status_updated', table_name='instances')
    op.drop_index('ix_instances_updated', table_name='instances')
