"""Idempotency keys live in the database: what one app process answered, another replays; a key
names one request; a key being answered is busy everywhere; keys expire."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engine import Engine
from engine.usecases.idempotency import ANSWERED, IN_PROGRESS, MISMATCH, NEW

DAY = timedelta(days=1)


@pytest.fixture
def two(db_url):
    """Two engines (two app processes) on one database."""
    first, second = Engine(db_url), Engine(db_url)
    yield first, second
    first.close()
    second.close()


def test_an_answer_stored_by_one_process_is_replayed_by_another(two):
    first, second = two
    assert first.idempotency.claim("amy", "k-1", "fp", DAY).state == NEW
    first.idempotency.answer("amy", "k-1", 201, {"id": "i-1"}, "/api/v1/instances/i-1")
    again = second.idempotency.claim("amy", "k-1", "fp", DAY)
    assert (again.state, again.status, again.body, again.location) == (ANSWERED, 201, {"id": "i-1"},
                                                                       "/api/v1/instances/i-1")


def test_a_key_being_answered_is_in_progress_for_every_process(two):
    first, second = two
    assert first.idempotency.claim("amy", "k-2", "fp", DAY).state == NEW
    assert second.idempotency.claim("amy", "k-2", "fp", DAY).state == IN_PROGRESS
    second.idempotency.release("amy", "k-2")
    assert first.idempotency.claim("amy", "k-2", "fp", DAY).state == NEW


def test_a_key_names_one_request_only(two):
    first, second = two
    first.idempotency.claim("amy", "k-3", "fp-a", DAY)
    first.idempotency.answer("amy", "k-3", 200, {"ok": True}, None)
    assert second.idempotency.claim("amy", "k-3", "fp-b", DAY).state == MISMATCH
    second.idempotency.release("amy", "k-3")                   # an answered key is not released
    assert second.idempotency.claim("amy", "k-3", "fp-a", DAY).state == ANSWERED


def test_keys_belong_to_one_user(two):
    first, second = two
    first.idempotency.claim("amy", "shared", "fp", DAY)
    assert second.idempotency.claim("bob", "shared", "other", DAY).state == NEW


def test_an_expired_key_is_forgotten(db_url):
    now = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
    early, late = Engine(db_url, clock=lambda: now), Engine(db_url, clock=lambda: now + timedelta(hours=25))
    try:
        early.idempotency.claim("amy", "old", "fp-a", DAY)
        early.idempotency.answer("amy", "old", 200, {"n": 1}, None)
        assert late.idempotency.claim("amy", "old", "fp-b", DAY).state == NEW
    finally:
        early.close()
        late.close()
