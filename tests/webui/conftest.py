"""An app with the demo organisation and the stage-1 process deployed.

`engine`/`app`/`client` use a fresh SQLite file (fast; most page tests): a copy of one demo
database made once per test session, so each test starts from the same state without
migrating, deploying and hashing the demo passwords again. Tests whose point is the database
(input that only PostgreSQL refuses, the fuzz walk) use `db_engine`/`db_app`/`db_client`,
which run once on SQLite and once on PostgreSQL (`db_url`).
"""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from engine import Engine, demo
from webui import create_app

from ..conftest import ROOT, copy_database

DATA = Path(__file__).resolve().parent / "data"


def demo_engine(url: str) -> Engine:
    eng = Engine(url, forms_dir=ROOT / "forms")
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng)
    return eng


def make_app(engine: Engine, tmp_path, **config):
    return create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "test-secret",
                       "INSTANCE_PATH": tmp_path / "instance", "WTF_CSRF_ENABLED": False, **config})


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The demo organisation with the workflows deployed, in a SQLite file made once."""
    path = tmp_path_factory.mktemp("demo") / "kamflow.db"
    demo_engine(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def engine(tmp_path, demo_database):
    copy_database(demo_database, tmp_path / "kamflow.db")
    eng = Engine(f"sqlite:///{tmp_path / 'kamflow.db'}", forms_dir=ROOT / "forms")
    yield eng
    eng.close()


@pytest.fixture
def app(engine, tmp_path):
    return make_app(engine, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_engine(db_url):
    """The demo engine on SQLite, then on PostgreSQL."""
    eng = demo_engine(db_url)
    yield eng
    eng.close()


@pytest.fixture
def db_app(db_engine, tmp_path):
    return make_app(db_engine, tmp_path)


@pytest.fixture
def db_client(db_app):
    return db_app.test_client()


def login(client, username: str, password: str = demo.PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def start_project(client, name: str = "台北捷運票務 Taipei Metro ticketing") -> str:
    response = client.post("/projects/new", data={"project_name": name})
    assert response.status_code == 302, response.data
    return response.location.rsplit("/", 1)[-1]


def open_task(engine, iid: str, bpmn_id: str):
    return next(t for t in engine.instance(iid).tasks if t.bpmn_id == bpmn_id)


def page_of(response):
    return lxml.html.fromstring(response.get_data(as_text=True))


def text_of(response) -> str:
    """The page's visible text without the diagram, whitespace collapsed, for readable assertions."""
    page = page_of(response)
    for svg in page.xpath("//svg | //*[local-name()='svg']"):
        svg.drop_tree()
    return " ".join(page.text_content().split())
