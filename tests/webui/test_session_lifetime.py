"""A session ends after two idle hours and twelve hours after sign-in however busy it is; both are
configurable. The clock is moved, not waited for."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engine import Engine, demo
from webui.config import Config

from ..conftest import ROOT
from .conftest import login, make_app


@pytest.fixture
def clocked(tmp_path):
    now = [datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc)]
    eng = Engine(f"sqlite:///{tmp_path / 'kamflow.db'}", forms_dir=ROOT / "forms", clock=lambda: now[0])
    demo.create_users(eng)
    app = make_app(eng, tmp_path, CLOCK=lambda: now[0])
    yield app.test_client(), now
    eng.close()


def signed_in(client) -> bool:
    return client.get("/settings/").status_code == 200


def test_a_session_idle_for_two_hours_ends(clocked):
    client, now = clocked
    login(client, "amy")
    now[0] += timedelta(hours=1, minutes=50)
    assert signed_in(client)
    now[0] += timedelta(hours=2, minutes=1)
    assert not signed_in(client)


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(clocked):
    client, now = clocked
    login(client, "amy")
    for _hour in range(11):
        now[0] += timedelta(hours=1)
        assert signed_in(client)
    now[0] += timedelta(hours=1, minutes=1)
    assert not signed_in(client)


def test_both_lifetimes_are_read_from_the_environment():
    config = Config({"KAMFLOW_SESSION_IDLE_MINUTES": "30", "KAMFLOW_SESSION_MAX_HOURS": "8"})
    assert (config.PERMANENT_SESSION_LIFETIME, config.SESSION_MAX_LIFETIME) == (timedelta(minutes=30),
                                                                                timedelta(hours=8))
    assert (Config({}).PERMANENT_SESSION_LIFETIME, Config({}).SESSION_MAX_LIFETIME) == (timedelta(hours=2),
                                                                                        timedelta(hours=12))
