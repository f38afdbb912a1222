"""Admin → Outbox: each message's delivery state with the server's error, one state at a time,
fifty to a page, worded in the admin's language; a failed message can be sent again."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engine import Engine, NotAllowed, demo
from engine.usecases.notifications import notify
from engine.usecases.outbox import MAX_ATTEMPTS
from webui import create_app

from ..conftest import ROOT
from .conftest import login, page_of, text_of

REFUSED = "550 5.1.1 <bob@demo.kamflow.test>: Recipient address rejected: no such user"


class Clock:
    def __init__(self):
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def engine(tmp_path, clock):
    """The demo organisation on a clock the test moves (retries wait for their time)."""
    eng = Engine(f"sqlite:///{tmp_path / 'kamflow.db'}", forms_dir=ROOT / "forms", clock=clock)
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng)
    yield eng
    eng.close()


def fail_for_good(engine, clock) -> int:
    """The oldest due message fails every try, as when the server refuses its address."""
    for _ in range(MAX_ATTEMPTS):
        job = engine.notifications.claim("demo.kamflow.test")
        engine.notifications.mark_failed(job.id, REFUSED)
        clock.now += timedelta(hours=3)
    return job.id


def rows_of(client, url: str) -> list:
    return page_of(client.get(url)).xpath("//table[@class='data-table']/tbody/tr")


def test_the_outbox_shows_each_messages_state_and_the_servers_error(client, engine, clock):
    demo.to_manager_review(engine, "amy", "Refused project")
    fail_for_good(engine, clock)
    demo.to_manager_review(engine, "ray", "Waiting project")
    login(client, "zoe")
    client.post("/language", data={"lang": "en", "next": "/"})
    rows = {r.xpath("string(td[3]/a)"): r for r in rows_of(client, "/admin/outbox/")}
    failed = rows["New task: Department manager review – Refused project"]
    assert "Bob Wang" in failed.xpath("string(td[1])")
    assert "Failed" in failed.xpath("string(td[5])") and f"Tries: {MAX_ATTEMPTS}" in failed.xpath("string(td[5])")
    assert REFUSED in failed.xpath("string(td[5])") and failed.xpath("td[6]//button")
    waiting = rows["New task: Department manager review – Waiting project"]
    assert "Waiting" in waiting.xpath("string(td[5])") and not waiting.xpath("td[6]//button")
    assert [r.xpath("string(td[3]/a)") for r in rows_of(client, "/admin/outbox/?status=failed")] == [
        "New task: Department manager review – Refused project"]
    client.post("/language", data={"lang": "zh_Hant", "next": "/"})
    assert "寄送失敗" in text_of(client.get("/admin/outbox/?status=failed"))
    assert "新待辦事項：Refused project－部門經理審核" in text_of(client.get("/admin/outbox/"))


def test_send_again_queues_a_failed_message_anew_and_the_history_says_who(client, engine, clock):
    iid = demo.to_manager_review(engine, "amy", "Refused project")
    failed = fail_for_good(engine, clock)
    login(client, "zoe")
    client.post("/language", data={"lang": "en", "next": "/"})
    response = client.post(f"/admin/outbox/{failed}/send-again", data={"status": "failed"})
    assert response.status_code == 302 and response.location.endswith("/admin/outbox/?status=failed")
    (again,) = engine.notifications.page("zoe", status="pending").items
    assert (again.id, again.attempts, again.last_error) == (failed, 0, None)
    resent = [e for e in engine.instance(iid).history if e.kind == "mail_resent"]
    assert [(e.actor, e.data["to"]) for e in resent] == [("zoe", "bob")]
    assert "Had a notification e-mail sent again" in text_of(client.get(f"/projects/{iid}"))
    assert client.post(f"/admin/outbox/{failed}/send-again").status_code == 409      # already waiting


def test_the_outbox_shows_fifty_messages_a_page(client, engine):
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Busy"})
    task = engine.instance(iid).tasks[0].id
    with engine.ctx.uow() as uow:
        for _ in range(51):
            notify(uow.session, uow.directory, ["bob"], "task_assigned", engine.ctx.clock(), iid, task)
    login(client, "zoe")
    assert len(rows_of(client, "/admin/outbox/")) == 50
    (following,) = page_of(client.get("/admin/outbox/")).xpath("//nav[@class='pager']//a[@rel='next']/@href")
    assert len(rows_of(client, following)) == 1
    (back,) = page_of(client.get(following)).xpath("//nav[@class='pager']//a[@rel='prev']/@href")
    assert len(rows_of(client, back)) == 50
    assert client.get("/admin/outbox/?cursor=nonsense").status_code == 422      # the first page, said so


def test_send_again_is_refused_without_a_csrf_token(engine, clock, tmp_path):
    demo.to_manager_review(engine, "amy", "Refused project")
    failed = fail_for_good(engine, clock)
    client = create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "s", "INSTANCE_PATH": tmp_path / "i",
                         "WTF_CSRF_ENABLED": True}).test_client()
    token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "zoe", "password": demo.PASSWORD, "csrf_token": token})
    assert client.post(f"/admin/outbox/{failed}/send-again").status_code == 400
    assert engine.notifications.page("zoe", status="failed").items[0].id == failed
    html = client.get("/admin/outbox/").get_data(as_text=True)
    posts = html.count('method="post"')
    assert posts and html.count('name="csrf_token"') == posts


def test_the_outbox_lists_subjects_and_words_a_body_when_it_is_opened(client, engine):
    demo.to_manager_review(engine, "amy", "Opened project")
    login(client, "zoe")
    client.post("/language", data={"lang": "en", "next": "/"})
    listed = page_of(client.get("/admin/outbox/"))
    assert not listed.xpath("//pre[@class='mail-body']")
    (row,) = [r for r in listed.xpath("//table[@class='data-table']/tbody/tr")
              if "Opened project" in r.xpath("string(td[3])")]
    (link,) = [a for a in row.xpath("td[3]//a/@href") if a.startswith("/admin/outbox/")]
    opened = page_of(client.get(link))
    assert "New task: Department manager review – Opened project" in opened.xpath("string(//h2)")
    assert "Opened project" in opened.xpath("string(//pre[@class='mail-body'])")
    assert client.get("/admin/outbox/999999").status_code == 404
    with pytest.raises(NotAllowed):
        engine.notifications.message("amy", int(link.rstrip("/").rsplit("/", 1)[-1]))
