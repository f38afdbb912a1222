"""Groups: admins create, rename, describe and delete them and change their members; every change
is audited; the well-known groups keep their names; roles of an older database become groups."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from engine import Engine, NotAllowed, ValidationFailed
from engine.db.connect import MIGRATIONS, make_engine

from ..conftest import DATA


def test_an_admin_manages_a_group_and_every_change_is_audited(eng):
    eng.groups.create("法遵 compliance", "zed", "Checks gifts")
    eng.groups.add_member("法遵 compliance", "cid", "zed")
    eng.groups.add_member("法遵 compliance", "cat", "zed")
    eng.groups.remove_member("法遵 compliance", "cat", "zed")
    group = eng.groups.change("法遵 compliance", "zed", new_name="compliance", description="Gifts and hospitality")
    assert (group.name, group.description, group.members, group.well_known) == \
        ("compliance", "Gifts and hospitality", ["cid"], False)
    assert "compliance" in eng.user("cid").groups
    assert [e["kind"] for e in eng.groups.history("compliance", "zed")] == \
        ["group_renamed", "group_described", "member_removed", "member_added", "member_added", "group_created"]
    eng.groups.delete("compliance", "zed")
    assert "compliance" not in [g.name for g in eng.groups.list()] and eng.user("cid").groups == ["committee"]
    assert eng.groups.history("compliance", "zed")[0]["data"]["members"] == ["cid"]


def test_only_admins_change_groups_and_bad_names_are_named(eng):
    with pytest.raises(NotAllowed):
        eng.groups.create("sales", "amy")
    for bad in ("", " padded ", "a/b", "x" * 65):
        with pytest.raises(ValidationFailed) as caught:
            eng.groups.create(bad, "zed")
        assert [e.path for e in caught.value.errors] == ["$.name"]
    eng.groups.create("sales", "zed")
    with pytest.raises(ValidationFailed):
        eng.groups.create("sales", "zed")
    with pytest.raises(ValidationFailed):
        eng.groups.add_member("sales", "nobody", "zed")


def test_the_well_known_groups_keep_their_names(eng):
    for name in ("admin", "manager", "committee", "chair", "rep"):
        with pytest.raises(ValidationFailed):
            eng.groups.change(name, "zed", new_name=f"{name}2")
        with pytest.raises(ValidationFailed):
            eng.groups.delete(name, "zed")
    assert eng.groups.change("chair", "zed", description="Breaks ties").description == "Breaks ties"


def test_a_renamed_group_keeps_its_open_tasks_and_one_with_open_tasks_cannot_be_deleted(eng):
    eng.deploy(DATA / "lanes_to_groups")
    eng.groups.create("compliance", "zed")
    eng.groups.add_member("compliance", "cid", "zed")
    iid = eng.start("gift_check", "amy")
    eng.complete(eng.tasks("amy")[0].id, "amy", {"gift": {"recipient": "Mr. Wu", "value": 500}})
    eng.groups.change("compliance", "zed", new_name="gifts desk")
    (review,) = eng.tasks("cid")
    assert review.group == "group:gifts desk" and review.instance_id == iid
    with pytest.raises(ValidationFailed) as caught:
        eng.groups.delete("gifts desk", "zed")
    assert "1 open task" in caught.value.errors[0].message


def test_roles_of_an_older_database_become_groups_and_their_open_tasks_follow(db_url):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    db = make_engine(db_url)
    with db.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    now = datetime(2026, 11, 1, tzinfo=timezone.utc).replace(tzinfo=None)
    with db.begin() as conn:
        conn.execute(text("INSERT INTO users (username, display_name, active, time_zone, locale, notify, created_at) "
                          "VALUES ('col', 'Col', true, 'Asia/Taipei', 'en', true, :t)"), {"t": now})
        for role in ("committee", "chair"):
            conn.execute(text("INSERT INTO user_roles (username, role) VALUES ('col', :r)"), {"r": role})
        conn.execute(text("INSERT INTO definitions (process_id, version, content_hash, name, main_file, files, "
                          "created_at) VALUES ('p', 1, 'h', 'P', 'p.bpmn', '{}', :t)"), {"t": now})
        for n, iid in enumerate(("i1", "i2")):
            conn.execute(text("INSERT INTO instances (id, definition_id, process_id, status, owner, project_name, "
                              "account_name, stage, workflow, serializer_version, version, created_at, updated_at) "
                              "VALUES (:i, 1, 'p', 'running', 'col', :i, '', '', '{}', '1', 1, :t, :t)"),
                         {"i": iid, "t": now.replace(day=n + 1)})
        conn.execute(text("INSERT INTO tasks (id, instance_id, spiff_task_id, bpmn_id, name, candidate_group, state, "
                          "created_at) VALUES ('t1', 'i1', 's', 'vote', 'Vote', 'role:committee', 'open', :t)"),
                     {"t": now})
    db.dispose()
    eng = Engine(db_url)
    try:
        assert eng.user("col").groups == ["chair", "committee"]
        assert {g.name for g in eng.groups.list()} == {"admin", "chair", "committee", "manager", "rep"}
        with eng.db.connect() as conn:
            assert conn.execute(text("SELECT candidate_group FROM tasks")).scalars().all() == ["group:committee"]
            assert conn.execute(text("SELECT last_number FROM process_sequences WHERE process_id = 'p'")).scalar() == 2
        assert [(r["id"], r["number"]) for r in sorted(eng.instances(), key=lambda r: r["id"])] == [("i1", 1), ("i2", 2)]
    finally:
        eng.close()
