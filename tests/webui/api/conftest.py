"""The JSON API on SQLite and PostgreSQL: the demo organisation, the stage-1 process and the
manual-steps model deployed, and a way to call the API with a user's own token."""
from __future__ import annotations

import pytest

from engine import Engine, demo
from webui import create_app

from ...conftest import DATA, ROOT


@pytest.fixture
def engine(db_url):
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    eng.deploy(ROOT / "workflows")
    eng.deploy(DATA / "manual_steps")
    demo.create_users(eng, password=None)      # the API signs in by token: no password hashing
    yield eng
    eng.close()


def make_app(engine, tmp_path):
    """An app as it runs (CSRF on), on `engine`: each app is one more app process."""
    return create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "test-secret",
                       "INSTANCE_PATH": tmp_path / "instance"})


@pytest.fixture
def client(engine, tmp_path):
    return make_app(engine, tmp_path).test_client()


class Caller:
    """Calls the API as one user, with a token of theirs."""

    def __init__(self, client, engine, username: str):
        self.client, self.username = client, username
        self.token, self.secret = engine.tokens.create(username, f"{username}'s tests", days=30)

    def headers(self, **more) -> dict:
        return {"Authorization": f"Bearer {self.secret}", **more}

    def get(self, path: str, **kw):
        return self.client.get(f"/api/v1{path}", headers=self.headers(), **kw)

    def post(self, path: str, json=None, key: str | None = None, **kw):
        extra = {"Idempotency-Key": key} if key else {}
        return self.client.post(f"/api/v1{path}", json=json, headers=self.headers(**extra), **kw)


@pytest.fixture
def as_user(client, engine):
    return lambda username: Caller(client, engine, username)


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["type"].startswith("/api/v1/reference#problem-")
    return body
