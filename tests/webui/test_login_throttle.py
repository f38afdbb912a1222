"""Password guessing is throttled per account and client address, counted in the database that every app
process shares; the wait ends, and a guesser elsewhere does not lock the owner out. Unknown names cost the
same hashing as wrong passwords. Both databases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from engine import Engine, demo, passwords
from engine.db.schema import AuditEvent

from ..conftest import ROOT
from .conftest import make_app

GUESSER, OWNER = {"REMOTE_ADDR": "203.0.113.9"}, {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def two_apps(db_url, tmp_path):
    """Two app instances, each with its own engine (as two processes would have), on one database."""
    now = [datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc)]
    first = Engine(db_url, forms_dir=ROOT / "forms", clock=lambda: now[0])
    demo.create_users(first)
    second = Engine(db_url, forms_dir=ROOT / "forms", clock=lambda: now[0], db=first.db)
    apps = [make_app(eng, tmp_path / str(i)) for i, eng in enumerate((first, second))]
    yield apps, now
    second.close()
    first.close()


def sign_in(app, password, address, username="amy"):
    return app.test_client().post("/login", data={"username": username, "password": password},
                                  environ_base=address)


def test_ten_failures_across_two_app_processes_make_the_guesser_wait_until_a_named_time(two_apps):
    apps, now = two_apps
    for attempt in range(10):
        assert sign_in(apps[attempt % 2], "wrong password", GUESSER).status_code == 401
    refused = sign_in(apps[0], demo.PASSWORD, GUESSER)
    assert refused.status_code == 429
    assert "09:15" in refused.get_data(as_text=True)     # the first failure (01:00 UTC) + 15 min, Taipei time
    assert sign_in(apps[1], demo.PASSWORD, GUESSER).status_code == 429
    assert sign_in(apps[1], demo.PASSWORD, OWNER).status_code == 302       # the owner elsewhere gets in
    now[0] += timedelta(minutes=15, seconds=1)
    assert sign_in(apps[0], demo.PASSWORD, GUESSER).status_code == 302     # the wait is over


def test_failures_spread_over_many_addresses_still_slow_down_guessing_of_one_account(two_apps):
    apps, _now = two_apps
    for attempt in range(50):
        address = {"REMOTE_ADDR": f"192.0.2.{attempt}"}
        assert sign_in(apps[attempt % 2], "wrong password", address).status_code == 401
    assert sign_in(apps[0], demo.PASSWORD, OWNER).status_code == 429


def test_failed_and_successful_sign_ins_are_on_the_users_audit_stream(two_apps):
    apps, _now = two_apps
    sign_in(apps[0], "wrong password", GUESSER)
    sign_in(apps[1], demo.PASSWORD, OWNER)
    engine = apps[0].extensions["kamflow"]
    with engine.ctx.uow(read_only=True) as uow:
        kinds = list(uow.session.scalars(select(AuditEvent.kind).where(AuditEvent.stream == "user:amy")
                                         .order_by(AuditEvent.seq)))
    assert kinds == ["user_saved", "sign_in_failed", "signed_in"]
    assert engine.verify_audit("user:amy") == []


def test_an_unknown_name_runs_the_password_hasher_like_a_wrong_password(two_apps, monkeypatch):
    apps, _now = two_apps
    verified = []

    class CountingHasher(PasswordHasher):      # the real argon2 hasher, counting what it verifies
        def verify(self, hash, password):
            verified.append(hash)
            return super().verify(hash, password)
    monkeypatch.setattr(passwords, "_HASHER", CountingHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1))
    assert sign_in(apps[0], "wrong password", GUESSER, username="nobody").status_code == 401
    assert sign_in(apps[0], "wrong password", GUESSER, username="amy").status_code == 401
    assert len(verified) == 2 and verified[0] != verified[1]    # a dummy hash, then amy's
