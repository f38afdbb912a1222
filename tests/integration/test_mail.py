"""Notifications reach a real SMTP server once each, or the log when none is configured."""
from __future__ import annotations

import logging
import socket

import pytest
from aiosmtpd.controller import Controller

from engine.demo import to_manager_review
from engine.mailer import SmtpSettings, deliver


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:          # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_new_tasks_are_mailed_once_to_the_people_who_want_mail(kam_eng, smtp_server):
    inbox, port = smtp_server
    kam_eng.set_preferences("amy", notify=False)
    to_manager_review(kam_eng, "amy", "Mail me")
    settings = SmtpSettings("127.0.0.1", port, starttls=False, sender="kamflow@example.com")
    assert deliver(kam_eng, settings, "https://kam.example.com") == 1
    assert deliver(kam_eng, settings) == 0
    (rcpts, body), = inbox.messages
    assert rcpts == ["bob@example.com"] and "Department manager review" in body
    assert "https://kam.example.com/tasks/" in body


def test_without_smtp_the_outbox_goes_to_the_log(kam_eng, caplog):
    to_manager_review(kam_eng, "amy", "Log me")
    with caplog.at_level(logging.INFO, logger="kamflow.mail"):
        assert deliver(kam_eng, None) >= 1
    assert "outbox → bob" in caplog.text
    assert deliver(kam_eng, None) == 0
