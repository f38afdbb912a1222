"""Migration 0006 adds the workspace to a database that already holds projects, losing nothing."""
from __future__ import annotations

from datetime import datetime, timezone

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from engine import Engine
from engine.db.connect import MIGRATIONS, make_engine


def test_existing_projects_keep_their_tasks_and_belong_to_no_account_after_the_upgrade(db_url):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    db = make_engine(db_url)
    with db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    now = datetime(2026, 11, 1, tzinfo=timezone.utc).replace(tzinfo=None)
    with db.begin() as conn:
        conn.execute(text("INSERT INTO users (username, display_name, active, time_zone, locale, notify, created_at) "
                          "VALUES ('amy', 'Amy', true, 'Asia/Taipei', 'en', true, :t)"), {"t": now})
        conn.execute(text("INSERT INTO definitions (process_id, version, content_hash, name, main_file, files, "
                          "created_at) VALUES ('p', 1, 'h', 'P', 'p.bpmn', '{}', :t)"), {"t": now})
        conn.execute(text("INSERT INTO instances (id, definition_id, process_id, status, owner, number, project_name, "
                          "account_name, stage, workflow, serializer_version, version, created_at, updated_at) "
                          "VALUES ('i1', 1, 'p', 'running', 'amy', 1, 'Old project', 'Old customer', '', '{}', '1', "
                          "1, :t, :t)"), {"t": now})
        conn.execute(text("INSERT INTO tasks (id, instance_id, spiff_task_id, bpmn_id, name, assignee, state, "
                          "created_at) VALUES ('t1', 'i1', 's', 'proposal', 'Proposal', 'amy', 'open', :t)"),
                     {"t": now})
    db.dispose()
    eng = Engine(db_url)
    try:
        (row,) = eng.instances()
        assert (row["id"], row["account_name"], row["account_id"]) == ("i1", "Old customer", None)
        with eng.db.connect() as conn:
            assert conn.execute(text("SELECT id FROM tasks")).scalars().all() == ["t1"]
        account_id = eng.accounts.create("amy", {"name": "New customer", "account_type": "regional"})
        with eng.db.begin() as conn:
            conn.execute(text("UPDATE instances SET account_id = :a"), {"a": account_id})
        assert [p.id for p in eng.accounts.get(account_id, "amy").projects] == ["i1"]
    finally:
        eng.close()
