"""Scale-out on one PostgreSQL (docs/deploy.md): two app servers (`kamflow serve`, one with two gunicorn
workers, one with one) and two timer workers (`kamflow worker`), as separate processes.

200 key-account projects are pushed through the whole stage-1 process at once over HTTP: the demo
users sign in with their passwords and post the real forms with their CSRF tokens, each request to
the other server than the one before; managers and the committee return some projects; some
projects have reminders and escalations a few seconds after each review opens, which the timer
workers fire by the real clock; one timer worker is SIGKILLed midway and started again. The test
reads the database only to find the next task's id (as the inbox would show it) and to check the end:
every project established, each step done exactly as often as its path asks (no lost update), the
audit chain intact, no open task left, every due timer fired once, every message sent once.
"""
from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from itertools import count
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from engine import Engine, demo
from engine.db.schema import Instance, Notification, Task
from engine.demo import INFORMATION, answer
from engine.spiff import Runtime
from engine.usecases import calls
from webui.common.formdata import flatten

from ..conftest import ROOT
from .conftest import assert_running_instances_can_move_on
from .test_mail import smtp_server  # noqa: F401 - the fixture: a real SMTP server (aiosmtpd)

INSTANCES, CLIENTS, SEED = 200, 8, 12
P = "key_account_development"
LISTENING = re.compile(r"Listening at: (http://[\d.:]+)")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
MANAGER = {"amy": "bob", "ray": "sue"}
COMMITTEE = ("cat", "ken", "col")
TIMERS = ("manager_reminder", "manager_escalation", "committee_reminder", "committee_escalation")
SCHEMAS = {p.name.removesuffix(".schema.json"): json.loads(p.read_text())
           for p in (ROOT / "forms").glob("*.schema.json")}
pytestmark = pytest.mark.postgres


class Plan:
    """One project's path, drawn from the seed: whose it is, which returns, which timers."""

    def __init__(self, n: int, rng: random.Random):
        self.n, self.owner = n, ("amy", "ray")[n % 2]
        self.manager_return = rng.choice([None] * 7 + ["proposal", "proposal", "information"])
        self.committee_return = rng.random() < 0.15
        straight = self.manager_return is None and not self.committee_return
        self.timed = straight and rng.random() < 0.25     # reminders 2 s, escalations 4 s: waited for at each review
        self.racing = straight and not self.timed and rng.random() < 0.2   # 1 s / 2 s: reviews race the timers

    def expected_completions(self) -> Counter:
        reviews = 1 + (self.manager_return is not None) + self.committee_return
        rounds = Counter({b: 1 + (self.manager_return == "information") for b in INFORMATION})
        return rounds + Counter({"proposal": reviews, "manager_review": reviews,
                                 "committee_vote": 3 * (1 + self.committee_return), "authorisation": 1})


class Cluster:
    """The processes under test, each logging to a file of its own (a full pipe would stall it)."""

    def __init__(self, url: str, folder: Path, smtp_port: int):
        self.url, self.folder, self.procs = url, folder, {}
        self.env = {**os.environ, "KAMFLOW_SECRET_KEY": "scale-out-test", "KAMFLOW_SMTP_HOST": "127.0.0.1",
                    "KAMFLOW_SMTP_PORT": str(smtp_port), "KAMFLOW_SMTP_STARTTLS": "false",
                    "KAMFLOW_SMTP_SENDER": "kamflow@example.com", "KAMFLOW_DB_POOL_SIZE": "4",
                    "KAMFLOW_DB_MAX_OVERFLOW": "2"}

    def start(self, name: str, *command: str) -> None:
        log = open(self.folder / f"{name}.log", "w")
        self.procs[name] = subprocess.Popen([sys.executable, "-m", "kamflow.cli", "--db", self.url, *command],
                                            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def output(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def address(self, name: str, seconds: float = 120) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            found = LISTENING.search(self.output(name))
            if found:
                try:
                    if requests.get(f"{found.group(1)}/readyz", timeout=10).status_code == 200:
                        return found.group(1)
                except requests.ConnectionError:
                    pass
            assert self.procs[name].poll() is None, self.output(name)
            time.sleep(0.2)
        raise AssertionError(self.output(name))

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()


class Browser:
    """The demo users signed in once each (the session lives in the database, so it holds on either
    server); each request goes to the other server than the one before."""

    def __init__(self, servers: list[str]):
        self.servers, self.turn, self.local = servers, count(), threading.local()
        self.signed_in = {}

    def http(self) -> requests.Session:
        if not hasattr(self.local, "http"):
            self.local.http = requests.Session()
            # a kept-alive connection the server closes (after gunicorn's 2 s) just as a request goes
            # out is reset; a browser would send again, which a test must not do for a POST
            self.local.http.headers["Connection"] = "close"
        return self.local.http

    def sign_in(self, user: str) -> None:
        http, server = requests.Session(), self.servers[0]
        token = CSRF.search(http.get(f"{server}/login").text).group(1)
        signed = http.post(f"{server}/login", data={"username": user, "password": demo.PASSWORD,
                                                    "csrf_token": token}, allow_redirects=False)
        assert signed.status_code == 302, signed.text
        token = CSRF.search(http.get(f"{self.servers[1]}/").text).group(1)      # the other server knows it
        self.signed_in[user] = (dict(http.cookies), token)

    def post(self, user: str, path: str, data: dict, look: bool = True) -> str:
        """POST as a browser does; the redirect's target, which with `look` is opened (a GET that shows,
        and so clears, the session's flashes) as when the user looks at the result of their turn."""
        cookies, token = self.signed_in[user]
        server = self.servers[next(self.turn) % len(self.servers)]
        http = self.http()
        http.cookies.clear()
        http.cookies.update(cookies)
        response = http.post(f"{server}{path}", data={**data, "csrf_token": token}, allow_redirects=look,
                             timeout=120)
        redirect = response.history[0] if look and response.history else response
        assert redirect.status_code == 302 and response.status_code == (200 if look else 302), \
            (user, path, response.status_code, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[-3000:])
        return redirect.headers["Location"]


class Driver:
    def __init__(self, eng: Engine, browser: Browser):
        self.eng, self.browser = eng, browser

    def open_tasks(self, iid: str, bpmn_id: str) -> list:
        with self.eng.ctx.uow(read_only=True) as uow:
            return uow.session.execute(select(Task.id, Task.assignee).where(
                Task.instance_id == iid, Task.bpmn_id == bpmn_id, Task.state == "open")).all()

    def complete(self, iid: str, bpmn_id: str, user: str, owner: str, **choice) -> None:
        tasks = self.open_tasks(iid, bpmn_id)
        if bpmn_id == "committee_vote":
            tasks = [t for t in tasks if t.assignee == user]
        (task_id, _assignee), = tasks
        fields = flatten(SCHEMAS[bpmn_id], answer(bpmn_id, owner, **choice))
        self.browser.post(user, f"/tasks/{task_id}", {**fields, "_action": "complete"},
                          look=bpmn_id not in INFORMATION)      # the rep looks once the proposal is in

    def fired(self, iid: str) -> Counter:
        return Counter(e.bpmn_id for e in self.eng.instance(iid).history if e.bpmn_id in TIMERS)

    def wait_for_timers(self, iid: str, *timers: str) -> None:
        end = time.monotonic() + 90
        while not all(self.fired(iid)[t] for t in timers):
            assert time.monotonic() < end, (iid, self.fired(iid), waiting_timers(self.eng, iid))
            time.sleep(0.5)

    def review_round(self, iid: str, plan: Plan, manager_return: str | None, committee_return: bool) -> bool:
        """Proposal, manager and committee once; True when the project goes on to authorisation."""
        owner = plan.owner
        self.complete(iid, "proposal", owner, owner)
        if plan.timed:
            self.wait_for_timers(iid, "manager_reminder", "manager_escalation")
        if manager_return:
            self.complete(iid, "manager_review", MANAGER[owner], owner, decision="return", return_to=manager_return)
            return False
        self.complete(iid, "manager_review", MANAGER[owner], owner)
        if plan.timed:
            self.wait_for_timers(iid, "committee_reminder", "committee_escalation")
        decisions = ["return", "return", "approve"] if committee_return else ["approve"] * 3
        with ThreadPoolExecutor(3) as votes:       # the three votes on one project at the same moment
            list(votes.map(lambda member, d: self.complete(iid, "committee_vote", member, owner, decision=d),
                           COMMITTEE, decisions))
        return not committee_return

    def run(self, plan: Plan) -> str:
        start = {"project_name": f"Scale-out {plan.n:03d}"}
        if plan.timed or plan.racing:
            start |= {"reminder_after": "PT2S" if plan.timed else "PT1S",
                      "escalation_after": "PT4S" if plan.timed else "PT2S"}
        iid = self.browser.post(plan.owner, "/projects/new", start, look=False).rstrip("/").rsplit("/", 1)[-1]
        manager_return, committee_return = plan.manager_return, plan.committee_return
        while True:
            for bpmn_id in INFORMATION:
                if self.open_tasks(iid, bpmn_id):
                    self.complete(iid, bpmn_id, plan.owner, plan.owner)
            if self.review_round(iid, plan, manager_return, committee_return):
                break
            if manager_return:
                manager_return = None          # the manager returned once; next time on to the committee
            else:
                committee_return = False       # the committee returned once; next time it approves
        self.complete(iid, "authorisation", "col", plan.owner)
        return iid


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_app_servers_and_two_timer_workers_take_200_projects_to_their_end_with_nothing_lost_or_doubled(
        db_url, smtp_server, tmp_path):  # noqa: F811
    inbox, smtp = smtp_server
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng)
    cluster = Cluster(db_url, tmp_path, smtp.port)
    rng = random.Random(SEED)
    plans = [Plan(n, rng) for n in range(INSTANCES)]
    try:
        for name, workers in (("web1", "2"), ("web2", "1")):
            cluster.start(name, "serve", "--port", "0", "--workers", workers, "--threads", "4")
        for name in ("timers1", "timers2"):
            cluster.start(name, "worker", "--interval", "0.5")
        browser = Browser([cluster.address("web1"), cluster.address("web2")])
        for user in ("amy", "ray", "bob", "sue", *COMMITTEE):
            browser.sign_in(user)
        driver = Driver(eng, browser)
        with ThreadPoolExecutor(CLIENTS) as clients:
            pending = [clients.submit(driver.run, plan) for plan in plans]
            while sum(f.done() for f in pending) < INSTANCES // 2:
                time.sleep(0.2)
            cluster.procs["timers1"].send_signal(signal.SIGKILL)       # midway, whatever it is doing
            assert cluster.procs["timers1"].wait(30) == -signal.SIGKILL
            cluster.start("timers1-again", "worker", "--interval", "0.5")
            iids = [f.result() for f in pending]
        in_flight = wait_for_the_outbox(eng)
    finally:
        cluster.stop()
    check_every_project(eng, dict(zip(iids, plans)))
    check_mail(eng, inbox, in_flight)
    assert not any("Control socket" in cluster.output(n) for n in ("web1", "web2"))
    eng.close()


def waiting_timers(eng: Engine, iid: str) -> dict:
    """What the stored workflow waits for, to say why an awaited timer never fired."""
    with eng.ctx.uow(read_only=True) as uow:
        inst = uow.session.get(Instance, iid)
        rt = Runtime.load(eng.ctx.models.by_id(uow.session, inst.definition_id), inst.workflow, {},
                          calls.chosen(eng.ctx, uow.session, inst))
        return {"version": inst.version, "status": inst.status, "next_timer_at": inst.next_timer_at,
                "waits": rt.waits()}


def wait_for_the_outbox(eng: Engine, seconds: float = 120) -> int:
    """Wait until only messages leased by the killed worker are unsent; how many those are."""
    end = time.monotonic() + seconds
    while True:
        now = datetime.now(timezone.utc)
        with eng.ctx.uow(read_only=True) as uow:
            due = uow.session.scalar(select(func.count()).select_from(Notification).where(
                Notification.status == "pending", Notification.next_attempt_at <= now))
            leased = uow.session.scalar(select(func.count()).select_from(Notification).where(
                Notification.status == "pending", Notification.next_attempt_at > now))
        if due == 0:
            return leased
        assert time.monotonic() < end, f"{due} messages still due"
        time.sleep(0.5)


def check_every_project(eng: Engine, plans: dict) -> None:
    assert len(plans) == INSTANCES
    for iid, plan in plans.items():
        view = eng.instance(iid)
        assert (view.status, view.outcome, view.tasks) == ("completed", "established", []), (plan.n, view)
        done = Counter(e.bpmn_id for e in view.history if e.kind == "completed")
        assert done == plan.expected_completions(), (plan.n, vars(plan), done)
        fired = Counter(e.bpmn_id for e in view.history if e.bpmn_id in TIMERS)
        if plan.timed:
            assert fired == Counter(TIMERS), (plan.n, fired)
        else:
            assert max(fired.values(), default=0) <= 1 and (plan.racing or not fired), (plan.n, fired)
    with eng.ctx.uow(read_only=True) as uow:
        open_rows = uow.session.scalar(select(func.count()).select_from(Task).where(Task.state == "open"))
        running = uow.session.scalar(select(func.count()).select_from(Instance).where(Instance.status == "running"))
    assert (open_rows, running) == (0, 0)
    assert_running_instances_can_move_on(eng)
    assert eng.verify_audit() == []


def check_mail(eng: Engine, inbox, in_flight: int) -> None:
    """Every message sent once; only the one the killed worker held may still wait for its lease."""
    assert in_flight <= 1
    with eng.ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(Notification.status, Notification.message_id)).all()
    statuses = Counter(status for status, _ in rows)
    assert statuses["sent"] + in_flight == len(rows) > INSTANCES, statuses
    arrived = inbox.ids()
    assert max(arrived.values()) == 1, [m for m, n in arrived.items() if n > 1]
    assert set(arrived) >= {m for status, m in rows if status == "sent"}
    assert len(arrived) - statuses["sent"] <= in_flight      # sent before the kill, not yet marked
