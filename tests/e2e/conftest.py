"""A live KAM Flow on a fresh SQLite file and a real headless Chromium driving it.

Under CI=true a missing browser fails the run; elsewhere it skips with the reason.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from engine import Engine, demo
from webui import create_app

from ..conftest import IN_CI, ROOT

OUTPUT = Path(__file__).resolve().parent / "output"
CHROMIUM = os.environ.get("KAMFLOW_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true: the browser tests must run, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Live:
    """The served app: its base URL, an engine on the same database for look-ups, and the app
    (a test may set its configuration, e.g. a small page size)."""

    def __init__(self, url: str, engine: Engine, app=None):
        self.url, self.engine, self.app = url, engine, app

    def task_id(self, iid: str, bpmn_id: str, assignee: str | None = None) -> str:
        return next(t.id for t in self.engine.instance(iid).tasks
                    if t.bpmn_id == bpmn_id and (assignee is None or t.assignee == assignee))


@pytest.fixture
def live(tmp_path):
    engine = Engine(f"sqlite:///{tmp_path / 'kamflow.db'}", forms_dir=ROOT / "forms")
    engine.deploy(ROOT / "workflows")
    demo.create_users(engine)
    app = create_app({"ENGINE": engine, "SECRET_KEY": "e2e", "INSTANCE_PATH": tmp_path / "instance"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="kamflow-e2e", daemon=True)
    thread.start()
    yield Live(f"http://127.0.0.1:{server.server_port}", engine, app)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    engine.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW",
                                  timezone_id="Asia/Taipei")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def shot(page, name: str, full_page: bool = True) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=full_page)
