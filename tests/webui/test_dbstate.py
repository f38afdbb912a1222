"""The fuzz walk's view of the database reads a table again only when the database says it
changed; these tests hold that it never misses a committed change (or it would pass refusals
that changed rows)."""
from __future__ import annotations

from sqlalchemy import create_engine, text

from .dbstate import Tables, changed_rows


def _commit(url: str, sql: str) -> None:
    db = create_engine(url)
    with db.begin() as conn:
        conn.execute(text(sql))
    db.dispose()


def test_a_snapshot_sees_an_update_a_delete_and_an_insert_committed_elsewhere(db_engine, db_url):
    tables = Tables(db_url)
    try:
        first = tables.snapshot()
        assert tables.snapshot() == first
        _commit(db_url, "UPDATE users SET display_name = 'Renamed' WHERE username = 'amy'")
        updated = tables.snapshot()
        assert set(changed_rows(first, updated)) == {"users", "reference_stamps"}    # its count of changes too
        _commit(db_url, "DELETE FROM group_members WHERE username = 'amy'")
        deleted = tables.snapshot()
        assert set(changed_rows(updated, deleted)) == {"group_members", "reference_stamps"}
        _commit(db_url, "UPDATE users SET display_name = 'Again' WHERE username = 'bob'")
        assert set(changed_rows(deleted, tables.snapshot())) == {"users", "reference_stamps"}
    finally:
        tables.close()


def test_a_snapshot_reads_new_audit_events_on_top_of_those_it_has(db_engine, db_url):
    tables, fresh = Tables(db_url), None
    try:
        before = tables.snapshot()["audit_events"]
        _commit(db_url, "UPDATE users SET display_name = 'x' WHERE username = 'amy'")   # nothing audited
        db_engine.add_user("newcomer", department="Sales")
        after = tables.snapshot()["audit_events"]
        assert before < after and len(after - before) >= 1
        fresh = Tables(db_url)
        assert after == fresh.snapshot()["audit_events"]               # as a first full read sees it
    finally:
        tables.close()
        if fresh is not None:
            fresh.close()
