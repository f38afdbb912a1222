"""What one request costs the database: the manager's approval POST and the task page GET.

Issue 12 asks for a completion POST of few statements in few transactions (one identity lookup
per request, nothing the request already loaded read again). These tests hold the bounds reached
so far, so a change that adds a query to either request fails here and says which statements ran.
"""
from __future__ import annotations

import pytest

from engine import Engine, demo
from webui import create_app

from ..conftest import ROOT
from ..statements import counted

POST_STATEMENTS, POST_TRANSACTIONS = 21, 2     # with the committee round the approval opens (reports)
PAGE_STATEMENTS, PAGE_TRANSACTIONS = 62, 12


@pytest.fixture
def bob_at_review(db_url, tmp_path):
    """bob signed in, amy's proposal waiting for his review, the page seen once (so the session
    already holds its CSRF secret and no flash from signing in is left to show)."""
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng)
    app = create_app({"TESTING": True, "ENGINE": eng, "SECRET_KEY": "test-secret",
                      "INSTANCE_PATH": tmp_path / "instance", "WTF_CSRF_ENABLED": False})
    iid = demo.to_manager_review(eng, "amy", "Statement count")
    task = next(t for t in eng.instance(iid).tasks if t.bpmn_id == "manager_review")
    client = app.test_client()
    assert client.post("/login", data={"username": "bob", "password": demo.PASSWORD}).status_code == 302
    assert client.get(f"/tasks/{task.id}").status_code == 200
    yield eng, client, task
    eng.close()


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
        response = client.post(f"/tasks/{task.id}", data={"manager_review.decision": "approve",
                                                           "manager_review.comments": "ok"})
    assert response.status_code == 302
    assert [t.bpmn_id for t in eng.instance(task.instance_id).tasks] == ["committee_vote"] * 3
    assert seen.total <= POST_STATEMENTS and seen.transactions <= POST_TRANSACTIONS, seen.report()
    # one identity lookup; the task and its instance read once, together; nothing loaded is read again
    assert seen.count("SELECT auth_sessions") == 1 and seen.count("UPDATE auth_sessions") == 0, seen.report()
    assert seen.count("SELECT instances") == 1 and seen.count("SELECT task_candidates") == 0, seen.report()
    assert seen.count("INSERT INTO tasks") == 1 and seen.count("INSERT INTO notifications") == 1, seen.report()
