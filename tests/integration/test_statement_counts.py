"""What one request costs the database: the manager's approval POST and the task page GET.

Issue 12 asks for a completion POST of few statements in few transactions (one identity lookup
per request, nothing the request already loaded read again). These tests hold the bounds reached
so far, so a change that adds a query to either request fails here and says which statements ran.
"""
from __future__ import annotations

import pytest
from sqlalchemy import event, text

from engine import Engine, demo
from webui import create_app

from ..conftest import ROOT, sqlite_path
from ..sqlite_prepares import prepared_again
from ..statements import counted, sent

# with the committee round the approval opens (reports); on SQLite the completion reads ahead of
# the writers' turn (engine/db/read_ahead.py) without a transaction (each SELECT its own), and takes the
# turn at its first write (BEGIN IMMEDIATE); what it read is guarded by its own writes (the instance's
# version, the audit stream's head), so nothing is read again at the turn; the task's drafts go by a
# trigger (migration 0046), and a pooled connection back from use moments ago is not pinged
# (engine/db/idle_ping.py); the project's owner and the steps it has completed come with the lock, and
# the acting user with the sign-in; the committee's members and the exchange rates the process's script
# asks for come from the engine's cache while the counts of changes the lock reads say they hold
# (engine/reference_cache.py); the audit stream's head comes with the lock too (auditlog.known_head);
# the audit events, their payloads, the notifications and the committee round go in with one statement
# (db/audit_rows.py: on PostgreSQL one INSERT with the others in its WITH, on SQLite one batched INSERT
# into a view whose triggers spread them)
POST_STATEMENTS = {"sqlite": 8, "postgresql": 8}
POST_TRANSACTIONS = {"sqlite": 1, "postgresql": 1}
PAGE_STATEMENTS, PAGE_TRANSACTIONS = 62, 12


@pytest.fixture
def bob_at_review(db_url, tmp_path):
    """bob signed in, amy's proposal waiting for his review, the page seen once (so the session
    already holds its CSRF secret and no flash from signing in is left to show), and an earlier
    approval done (so the engine has the committee and the rates, as it would after its first)."""
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng)
    app = create_app({"TESTING": True, "ENGINE": eng, "SECRET_KEY": "test-secret",
                      "INSTANCE_PATH": tmp_path / "instance", "WTF_CSRF_ENABLED": False})
    demo.to_committee(eng, "amy", "Approved before")
    iid = demo.to_manager_review(eng, "amy", "Statement count")
    task = next(t for t in eng.instance(iid).tasks if t.bpmn_id == "manager_review")
    client = app.test_client()
    assert client.post("/login", data={"username": "bob", "password": demo.PASSWORD}).status_code == 302
    assert client.get(f"/tasks/{task.id}").status_code == 200
    yield eng, client, task
    eng.close()


def _approve(client, task):
    return client.post(f"/tasks/{task.id}", data={"manager_review.decision": "approve",
                                                  "manager_review.comments": "ok"})


def _in_transaction(dbapi_connection) -> bool:
    """Whether the database holds a transaction open on this connection, as its driver knows."""
    if hasattr(dbapi_connection, "in_transaction"):                     # sqlite3
        return dbapi_connection.in_transaction
    return dbapi_connection.info.transaction_status.name != "IDLE"      # psycopg: INTRANS after a BEGIN


def test_a_request_looks_its_identity_up_in_one_statement_outside_any_transaction(bob_at_review):
    eng, client, task = bob_at_review
    after = []

    def note(conn, _cursor, statement, _parameters, _context, _executemany):
        after.append((" ".join(statement.split())[:22], _in_transaction(conn.connection.dbapi_connection)))
    event.listen(eng.db, "after_cursor_execute", note)
    try:
        with counted(eng.db) as seen:
            assert client.get(f"/tasks/{task.id}").status_code == 200
    finally:
        event.remove(eng.db, "after_cursor_execute", note)
    assert seen.statements[:2] == [seen.statements[0], "BEGIN"], seen.report()
    assert seen.statements[0].startswith("SELECT auth_sessions"), seen.report()
    assert after[0] == ("SELECT auth_sessions.d", False)     # no BEGIN before it, nothing left open after
    assert after[1][1] is True                              # the page's own reads: in a transaction


def test_task_page_reads_in_few_statements(bob_at_review):
    eng, client, task = bob_at_review
    with counted(eng.db) as seen:
        response = client.get(f"/tasks/{task.id}")
    assert response.status_code == 200
    assert seen.total <= PAGE_STATEMENTS and seen.transactions <= PAGE_TRANSACTIONS, seen.report()
    assert seen.count("SELECT auth_sessions") == 1 and seen.count("UPDATE auth_sessions") == 0, seen.report()


def test_manager_approval_post_sends_few_statements_in_few_transactions(bob_at_review):
    eng, client, task = bob_at_review
    with counted(eng.db) as seen:
        response = _approve(client, task)
    assert response.status_code == 302
    assert [t.bpmn_id for t in eng.instance(task.instance_id).tasks] == ["committee_vote"] * 3
    kind = eng.db.dialect.name
    assert seen.total <= POST_STATEMENTS[kind] and seen.transactions <= POST_TRANSACTIONS[kind], seen.report()
    # one identity lookup; the task and its instance read once, together; nothing loaded is read again
    assert seen.count("SELECT auth_sessions") == 1 and seen.count("UPDATE auth_sessions") == 0, seen.report()
    assert seen.count("SELECT instances") == 1 and seen.count("SELECT task_candidates") == 0, seen.report()
    assert seen.count("SELECT tasks.id") == 0, seen.report()       # the open rows came with the lock
    assert seen.count("INSERT INTO tasks") == 1 and seen.count("INSERT INTO audit_heads") == 0, seen.report()
    assert seen.count("INSERT INTO notifications") == 0 == seen.count("INSERT INTO committee_rounds"), seen.report()
    assert seen.count("DELETE FROM drafts") == 0 and seen.count("PING") == 0, seen.report()
    with eng.db.connect() as conn:                          # ... yet in: they rode with the audit events
        rounds = conn.scalar(text("SELECT count(*) FROM committee_rounds WHERE instance_id = :i"),
                             {"i": task.instance_id})
        notices = conn.execute(text("SELECT kind, username FROM notifications WHERE instance_id = :i "
                                    "AND actor = 'bob'"), {"i": task.instance_id}).all()
    assert rounds == 1 and len(notices) >= 3 and {k for k, _u in notices} >= {"task_assigned"}, notices
    assert eng.verify_audit() == []                         # the chain holds, payloads with their events
    assert seen.count("SELECT DISTINCT tasks") == 0, seen.report()     # the notices' steps: read with the lock
    assert seen.count("SELECT users") == 0 and seen.count("SELECT exchange_rates") == 0, seen.report()  # kept


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)      # SQLite's own count of recompiles
def test_sqlite_compiles_each_statement_of_the_approval_post_once_whatever_its_values(bob_at_review):
    eng, client, task = bob_at_review
    with sent(eng.db) as seen:
        response = _approve(client, task)
    assert response.status_code == 302
    path = sqlite_path(str(eng.db.url))
    checked = [(s, v) for s, v in seen if s.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE"))
               and isinstance(v, tuple)]
    assert len(checked) >= 4           # every SELECT, UPDATE and DELETE the POST sends (its INSERTs aside)
    assert [" ".join(s.split())[:200] for s, values in checked if prepared_again(path, s, values)] == []


def test_a_completion_reads_neither_the_signed_in_user_again_nor_the_owner_apart_from_the_lock(bob_at_review):
    eng, client, task = bob_at_review
    with sent(eng.db) as seen:
        response = _approve(client, task)
    assert response.status_code == 302
    people_read = [str(values) for statement, values in seen
                   if " ".join(statement.split()).startswith("SELECT users.username")]
    assert not any("bob" in v or "amy" in v for v in people_read), people_read   # only the committee's
