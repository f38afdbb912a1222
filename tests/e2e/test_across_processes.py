"""Stage 1 in a real browser against `kamflow serve` (gunicorn, two worker processes) on a
SQLite file, with the whole server killed and started again in the middle of the committee
vote: the votes cast before and after the restart are merged and the project is established.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from engine import Engine, demo

from ..conftest import ROOT
from .conftest import shot
from .pages import answer_fields, fill_form, log_in, log_out, submit

pytestmark = pytest.mark.e2e
KAMFLOW = Path(sys.executable).parent / "kamflow"      # the console script, wherever it lives
INFORMATION = ("customer_info", "competitor_info", "project_info", "decision_makers", "decision_participants")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A `kamflow serve` process group we start and kill; an engine on the same file for look-ups."""

    def __init__(self, db_url: str, log: Path):
        self.db_url, self.log = db_url, log
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.engine = Engine(db_url, forms_dir=ROOT / "forms")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "KAMFLOW_SECRET_KEY": "e2e-across-processes"}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(KAMFLOW), "--db", self.db_url, "serve", "--port", str(self.port), "--workers", "2",
                 "--threads", "2"], stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("kamflow serve did not answer within 60 s:\n" + self.log.read_text()[-3000:])

    def workers(self) -> list[int]:
        """Process ids of the gunicorn workers (children of the master)."""
        found = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in found]

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: nothing gets to finish or flush."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:          # orphaned workers may hold the port a moment
            with socket.socket() as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    s.bind(("127.0.0.1", self.port))
                    return
                except OSError:
                    time.sleep(0.2)
        raise AssertionError(f"port {self.port} still in use after the kill")

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()
        self.engine.close()

    def task_id(self, iid: str, bpmn_id: str, assignee: str | None = None) -> str:
        return next(t.id for t in self.engine.instance(iid).tasks
                    if t.bpmn_id == bpmn_id and (assignee is None or t.assignee == assignee))


@pytest.fixture
def served(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'kamflow.db'}"
    setup = Engine(db_url, forms_dir=ROOT / "forms")
    setup.deploy(ROOT / "workflows")
    demo.create_users(setup)
    setup.close()
    server = Served(db_url, tmp_path / "serve.log")
    server.start()
    yield server
    server.close()


def do_task(page, served, iid: str, user: str, bpmn_id: str) -> None:
    task_id = served.task_id(iid, bpmn_id, user if bpmn_id == "committee_vote" else None)
    page.goto(f"{served.url}/tasks/{task_id}")
    fill_form(page, answer_fields(served, task_id, user, bpmn_id))
    submit(page)
    assert page.locator(".flash-success").count() == 1, page.content()[:2000]


def test_a_project_is_established_although_the_server_restarts_during_the_committee_vote(page, served):
    assert len(served.workers()) == 2
    log_in(page, served.url, "amy", lang="en")
    page.click("text=Start a new project")
    page.fill("#field-project_name", "Kaohsiung port automation")
    page.click("form.stacked-form button[type='submit']")
    page.wait_for_selector("text=Open tasks")
    iid = page.url.rsplit("/", 1)[-1]
    for bpmn_id in INFORMATION + ("proposal",):
        do_task(page, served, iid, "amy", bpmn_id)
    log_out(page)
    log_in(page, served.url, "bob")
    do_task(page, served, iid, "bob", "manager_review")
    log_out(page)
    for member in ("cat", "ken"):
        log_in(page, served.url, member)
        do_task(page, served, iid, member, "committee_vote")
        log_out(page)

    served.kill()
    served.start()                              # new processes: nothing of the vote is in memory

    log_in(page, served.url, "col", lang="en")
    do_task(page, served, iid, "col", "committee_vote")
    page.goto(f"{served.url}/")
    page.click("table.task-table >> text=Authorise the project")
    fill_form(page, answer_fields(served, served.task_id(iid, "authorisation"), "col", "authorisation"))
    submit(page)
    page.goto(f"{served.url}/projects/{iid}")
    assert page.locator(".badge-standing.badge-established").inner_text() == "Established"
    shot(page, "17-established-across-a-restart")
    assert served.engine.instance(iid).outcome == "established"
