"""The proxy's health checks: alive without a database, ready only when the database answers at
this code's schema head; no login, no session, no personal data, GET only."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from engine import Engine
from engine.db.pool import PoolSettings
from engine.db.connect import make_engine
from engine.db.readiness import code_head

from ..conftest import ROOT
from .conftest import login, make_app

UNREACHABLE = {"postgresql": lambda: make_engine("postgresql+psycopg://kamflow:x@127.0.0.1:1/none",
                                                 PoolSettings(connect_timeout=1)),
               "sqlite": lambda: create_engine("sqlite:////no-such-folder/kamflow.db")}


@pytest.fixture(params=sorted(UNREACHABLE))
def cut_off_client(request, tmp_path):
    """An app whose database cannot be reached at all."""
    db = UNREACHABLE[request.param]()
    app = make_app(Engine("sqlite://", forms_dir=ROOT / "forms", db=db), tmp_path)
    yield app.test_client()
    db.dispose()


def test_healthz_says_alive_even_when_the_database_cannot_be_reached(cut_off_client):
    response = cut_off_client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "alive"})
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"


def test_readyz_answers_503_when_the_database_cannot_be_reached(cut_off_client):
    response = cut_off_client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "not ready", "reason": "database unreachable", "schema": "",
                             "expected_schema": code_head()}


def test_readyz_says_ready_when_the_database_answers_at_the_schema_head(db_client):
    response = db_client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "reason": "ready", "schema": code_head(),
                             "expected_schema": code_head()}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("revision, reason", [
    ("0001", "schema behind this code (run `kamflow init`)"),
    ("9999_from_a_newer_release", "schema newer than this code (restart with the new release)")])
def test_readyz_answers_503_when_the_schema_is_not_the_one_this_code_expects(db_engine, db_client, revision,
                                                                             reason):
    with db_engine.db.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    response = db_client.get("/readyz")
    assert (response.status_code, response.json["reason"], response.json["schema"]) == (503, reason, revision)


def test_the_checks_read_no_session_and_show_nothing_of_a_signed_in_user(db_client):
    login(db_client, "amy")
    for url in ("/healthz", "/readyz"):
        response = db_client.get(url)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
        assert "amy" not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_the_checks_answer_get_only_a_post_goes_to_the_login_page_like_any_unknown_route(client, url):
    for signed_in in (False, True):
        if signed_in:
            login(client, "amy")         # the checks read no session, so not even a signed-in POST gets through
        response = client.post(url)
        assert response.status_code == 302 and response.location.startswith("/login")
