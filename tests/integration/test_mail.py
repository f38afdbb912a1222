"""The outbox as a queue, against a real SMTP server (aiosmtpd): each message once, in the
recipient's language; a bad one fails alone; a killed worker re-sends only the one in flight."""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text, update

from engine import Engine
from engine.db.connect import MIGRATIONS, make_engine
from engine.db.schema import Instance
from engine.demo import to_manager_review
from engine.mail import SmtpSettings, deliver
from engine.mail.headers import SUBJECT_LIMIT
from engine.usecases.notifications import notify
from engine.usecases.outbox import LEASE, MAX_ATTEMPTS, next_due

from ..conftest import ROOT
from .conftest import ORG

P = "key_account_development"
REFUSED = "nobody@example.com"


class Inbox:
    """The mail server's side: what arrived, for whom; some addresses are refused."""

    def __init__(self):
        self.messages = []
        self.on_data = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        if self.on_data is not None:
            self.on_data(len(self.messages))
        return "250 OK"

    def ids(self) -> Counter:
        return Counter(msg["Message-ID"] for _rcpts, msg in self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, SmtpSettings("127.0.0.1", port, starttls=False, sender="kamflow@example.com")
    controller.stop()


class Clock:
    def __init__(self):
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def mail_eng(db_url, clock):
    """The organisation (plus `ghost`, whose address the server refuses) on a clock we move."""
    eng = Engine(db_url, forms_dir=ROOT / "forms", clock=clock)
    for name, groups, dept, boss in ORG:
        eng.add_user(name, groups=groups, department=dept, reports_to=boss, email=f"{name}@example.com")
    eng.add_user("ghost", groups=["rep"], department="north", email=REFUSED)
    eng.deploy(ROOT / "workflows")
    yield eng
    eng.close()


def queue(eng, instance_id: str, people: list[str]) -> None:
    """One `task_assigned` message per entry about the project's customer form (its first open
    task; the open tasks come in no set order), as the engine queues them after a step."""
    task_id = next(t.id for t in eng.instance(instance_id).tasks if t.bpmn_id == "customer_info")
    with eng.ctx.uow() as uow:
        for name in people:
            notify(uow.session, uow.directory, [name], "task_assigned", eng.ctx.clock(), instance_id, task_id)


def rename(eng, instance_id: str, name: str) -> None:
    """Store a name as older versions accepted it (validation now refuses line breaks)."""
    with eng.ctx.uow() as uow:
        uow.session.execute(update(Instance).where(Instance.id == instance_id).values(project_name=name))


def test_new_tasks_are_mailed_once_each_in_the_recipients_language(kam_eng, smtp_server):
    inbox, settings = smtp_server
    kam_eng.set_preferences("bob", locale="en")
    iid = to_manager_review(kam_eng, "amy", "台北捷運票務")
    assert deliver(kam_eng, settings, "https://kam.example.com") == 1
    assert deliver(kam_eng, settings) == 0
    (rcpts, msg), = inbox.messages
    assert rcpts == ["bob@example.com"]
    assert msg["Subject"] == "New task: Department manager review – 台北捷運票務"
    assert f"https://kam.example.com/tasks/{kam_eng.instance(iid).tasks[0].id}" in msg.get_content()
    assert msg["Message-ID"].endswith("@example.com>")
    kam_eng.set_preferences("bob", locale="zh_Hant")      # words follow the language at queue time
    assert kam_eng.notifications.for_user("bob")[0].subject.startswith("New task")


def test_without_smtp_the_outbox_goes_to_the_log(kam_eng, caplog):
    to_manager_review(kam_eng, "amy", "Log me")
    with caplog.at_level(logging.INFO, logger="kamflow.mail"):
        assert deliver(kam_eng, None) == 1
    assert "outbox → bob <bob@example.com>: 新待辦事項：Log me－" in caplog.text
    assert deliver(kam_eng, None) == 0


def test_a_poisoned_message_among_a_hundred_fails_alone_and_holds_nothing_back(mail_eng, smtp_server, clock):
    inbox, settings = smtp_server
    plain = mail_eng.start(P, "amy", {"project_name": "Metro"})
    odd = mail_eng.start(P, "amy", {"project_name": "Harbour"})
    rename(mail_eng, odd, "Harbour\r\nBcc: victim@example.com")
    people = [name for name, *_ in ORG if name != "amy"]
    queue(mail_eng, plain, [people[i % len(people)] for i in range(29)] + ["ghost"])
    queue(mail_eng, odd, ["bob"])
    queue(mail_eng, plain, [people[i % len(people)] for i in range(69)])
    assert deliver(mail_eng, settings) == 99
    assert len(inbox.ids()) == 99 and set(inbox.ids().values()) == {1}
    (_rcpts, harbour), = [m for m in inbox.messages if "Harbour" in m[1]["Subject"]]
    assert harbour["Subject"] == "新待辦事項：Harbour Bcc: victim@example.com－客戶資訊表" and harbour["Bcc"] is None
    queue(mail_eng, plain, ["bob"])                                  # mail after the bad one is not held back
    assert deliver(mail_eng, settings) == 1
    for _ in range(MAX_ATTEMPTS):
        clock.now += timedelta(hours=3)
        assert deliver(mail_eng, settings) == 0
    failed = mail_eng.notifications.page("zed", status="failed").items
    assert [(n.username, n.attempts) for n in failed] == [("ghost", MAX_ATTEMPTS)]
    assert "550 5.1.1" in failed[0].last_error and "no such user" in failed[0].last_error
    assert len(inbox.ids()) == 100 and set(inbox.ids().values()) == {1}
    assert mail_eng.notifications.page("zed", status="pending").items == []


WORKER = """
import sys
from engine import Engine
from engine.mail import SmtpSettings, deliver
deliver(Engine(sys.argv[1]), SmtpSettings("127.0.0.1", int(sys.argv[2]), starttls=False, sender="kamflow@example.com"))
"""


def test_a_worker_killed_mid_batch_sends_again_only_the_message_in_flight(mail_eng, smtp_server, clock, db_url):
    inbox, settings = smtp_server
    iid = mail_eng.start(P, "amy", {"project_name": "Metro"})
    people = [name for name, *_ in ORG if name != "amy"]
    queue(mail_eng, iid, [people[i % len(people)] for i in range(100)])
    worker = subprocess.Popen([sys.executable, "-c", WORKER, db_url, str(settings.port)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    inbox.on_data = lambda count: os.kill(worker.pid, signal.SIGKILL) if count == 50 else None
    assert worker.wait(timeout=120) == -signal.SIGKILL
    inbox.on_data = None
    assert deliver(mail_eng, settings) == 50                        # the rest; the one in flight is leased
    clock.now += LEASE + timedelta(minutes=1)
    assert deliver(mail_eng, settings) == 1
    ids = inbox.ids()
    assert len(ids) == 100 and sum(ids.values()) == 101
    twice = [mid for mid, count in ids.items() if count == 2]
    assert twice == [inbox.messages[49][1]["Message-ID"]]


def test_a_project_name_as_long_as_its_column_starts_reminds_and_mails(mail_eng, smtp_server, clock):
    inbox, settings = smtp_server
    name = "長" * Instance.__table__.c.project_name.type.length
    iid = to_manager_review(mail_eng, "amy", name)
    clock.now += timedelta(days=8)
    assert mail_eng.fire_timers() == 2
    assert mail_eng.instance(iid).incidents == []
    assert deliver(mail_eng, settings) == 3                          # new task, reminder (bob), escalation (dan)
    assert all(len(msg["Subject"]) <= SUBJECT_LIMIT and "長長長…" in msg["Subject"] for _r, msg in inbox.messages)
    assert all(name in msg.get_content() for _r, msg in inbox.messages)


def test_a_row_whose_facts_cannot_be_read_fails_alone_and_the_lists_still_show(mail_eng, smtp_server):
    inbox, settings = smtp_server
    iid = mail_eng.start(P, "amy", {"project_name": "Metro"})
    with mail_eng.ctx.uow() as uow:
        notify(uow.session, uow.directory, ["dan"], "escalation", mail_eng.ctx.clock(), iid, facts={"waiting_for": 5})
    queue(mail_eng, iid, ["bob"])
    assert deliver(mail_eng, settings) == 1 and inbox.messages[0][0] == ["bob@example.com"]
    (bad,) = mail_eng.notifications.for_user("dan")
    assert (bad.status, bad.attempts, bad.subject) == ("pending", 1, "—") and "TypeError" in bad.last_error


def test_an_unreachable_mail_server_stops_the_round_and_fails_nothing(mail_eng):
    iid = mail_eng.start(P, "amy", {"project_name": "Metro"})
    queue(mail_eng, iid, ["bob", "cat"])
    assert deliver(mail_eng, SmtpSettings("127.0.0.1", free_port(), starttls=False)) == 0
    tried = mail_eng.notifications.page("zed").items
    assert sorted((n.status, n.attempts, bool(n.last_error)) for n in tried) == [("pending", 0, False),
                                                                                ("pending", 1, True)]


def test_the_queue_is_read_through_its_index(mail_eng):
    with mail_eng.db.connect() as conn:
        compiled = next_due(datetime.now(timezone.utc)).compile(dialect=conn.dialect)
        if conn.dialect.name == "sqlite":
            params = tuple(str(compiled.params[k]) for k in compiled.positiontup)
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).all()
        else:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")    # a tiny table: ask whether it *can*
            plan = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
    assert "ix_notifications_queue" in " ".join(str(row) for row in plan)


OLD_ROWS = [
    "INSERT INTO users (username, display_name, email, active, time_zone, locale, notify, created_at) "
    "VALUES ('bob', 'Bob Wang', 'bob@example.com', true, 'Asia/Taipei', 'en', true, :at)",
    "INSERT INTO definitions (id, process_id, version, content_hash, name, main_file, files, created_at) "
    "VALUES (1, 'p', 1, 'h', 'P', 'p.bpmn', '{}', :at)",
    "INSERT INTO instances (id, definition_id, process_id, status, owner, project_name, account_name, stage, "
    "workflow, serializer_version, version, created_at, updated_at) "
    "VALUES ('i-1', 1, 'p', 'running', 'amy', 'Metro', '', '', '{}', '1', 1, :at, :at)",
    "INSERT INTO tasks (id, instance_id, spiff_task_id, bpmn_id, name, state, created_at) "
    "VALUES ('t-1', 'i-1', 's-1', 'manager_review', 'Department manager review', 'open', :at)",
    "INSERT INTO notifications (username, kind, instance_id, task_id, subject, created_at, sent_at) "
    "VALUES ('bob', 'task_assigned', 'i-1', 't-1', 'Department manager review — Metro', :at, :at)",
    "INSERT INTO notifications (username, kind, instance_id, task_id, subject, created_at, sent_at) "
    "VALUES ('bob', 'reminder', 'i-1', 't-1', 'Reminder: Department manager review — Metro', :at, NULL)",
]


def test_notifications_queued_before_the_upgrade_are_listed_and_delivered_after_it(db_url, caplog):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    ours = next(s for s in ScriptDirectory.from_config(cfg).walk_revisions() if "outbox rows hold facts" in s.doc)
    old = make_engine(db_url)
    with old.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, ours.down_revision)
        for statement in OLD_ROWS:
            conn.execute(text(statement), {"at": datetime(2026, 11, 1, 9, 0)})
    old.dispose()
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        assert [(n.kind, n.status, n.subject) for n in eng.notifications.for_user("bob")] == [
            ("reminder", "pending", "Reminder: Department manager review – Metro"),
            ("task_assigned", "sent", "New task: Department manager review – Metro")]
        with caplog.at_level(logging.INFO, logger="kamflow.mail"):
            assert deliver(eng, None) == 1
        assert "Bob Wang <bob@example.com>: Reminder: Department manager review – Metro" in caplog.text
    finally:
        eng.close()
