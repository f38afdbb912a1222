"""Migrations 0010 (called versions) and 0011 (process catalog) on a database that already holds
processes, instances and tasks: nothing is lost, every deployed process enters the catalog."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from engine import Engine
from engine.db.connect import MIGRATIONS, make_engine


def test_existing_instances_made_no_call_and_every_deployed_process_enters_the_catalog(db_url):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    db = make_engine(db_url)
    with db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    now = datetime(2026, 11, 1, tzinfo=timezone.utc).replace(tzinfo=None)
    with db.begin() as conn:
        conn.execute(text("INSERT INTO users (username, display_name, active, time_zone, locale, notify, created_at) "
                          "VALUES ('amy', 'Amy', true, 'Asia/Taipei', 'en', true, :t)"), {"t": now})
        for pid in ("key_account_development", "gift_check"):
            conn.execute(text("INSERT INTO definitions (process_id, version, content_hash, name, main_file, files, "
                              "created_at) VALUES (:p, 1, :p, :p, 'p.bpmn', '{}', :t)"), {"p": pid, "t": now})
        conn.execute(text("INSERT INTO instances (id, definition_id, process_id, status, owner, number, project_name, "
                          "account_name, stage, workflow, serializer_version, version, created_at, updated_at) "
                          "VALUES ('i1', 1, 'key_account_development', 'running', 'amy', 1, 'Old project', '', '', '{}', "
                          "'1', 1, :t, :t)"), {"t": now})
        conn.execute(text("INSERT INTO tasks (id, instance_id, spiff_task_id, bpmn_id, name, assignee, state, "
                          "created_at) VALUES ('t1', 'i1', 's', 'proposal', 'Proposal', 'amy', 'open', :t)"),
                     {"t": now})
    db.dispose()
    eng = Engine(db_url)
    try:
        with eng.db.connect() as conn:
            called = conn.execute(text("SELECT called FROM instances")).scalar_one()
            assert (json.loads(called) if isinstance(called, str) else called) == {}
            assert conn.execute(text("SELECT id, definition_id FROM tasks")).all() == [("t1", None)]
        entries = eng.process_catalog.entries()
        assert [(e.process_id, e.offered, e.groups, e.home) for e in entries] == [
            ("key_account_development", True, [], True), ("gift_check", True, [], False)]
        assert eng.process_catalog.home() == "key_account_development"
    finally:
        eng.close()
