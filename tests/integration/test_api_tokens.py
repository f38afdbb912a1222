"""Personal access tokens: made and revoked by their owner, stored hashed, acting as the owner
until they expire, are revoked or the owner is deactivated; every change on the owner's audit stream."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from engine import Engine, NotAllowed, NotFound, ValidationFailed
from engine.db.schema import AuditEvent


def user_events(eng, username: str) -> list[tuple[str, dict]]:
    with eng.db.connect() as conn:
        rows = conn.execute(select(AuditEvent.kind, AuditEvent.meta).where(AuditEvent.stream == f"user:{username}")
                            .order_by(AuditEvent.seq)).all()
    return [(kind, meta) for kind, meta in rows]


def test_a_token_acts_as_its_owner_until_the_owner_revokes_it(eng):
    token, secret = eng.tokens.create("amy", "CRM sync", days=30)
    assert secret.startswith("kft_") and secret.startswith(token.prefix) and len(secret) > 40
    assert eng.tokens.user_of(secret) == "amy"
    assert [t.name for t in eng.tokens.list("amy")] == ["CRM sync"] and eng.tokens.list("bob") == []
    eng.tokens.revoke(token.id, "amy")
    assert eng.tokens.user_of(secret) is None
    assert eng.tokens.list("amy") == []


def test_only_a_hash_of_the_secret_is_stored(eng):
    _, secret = eng.tokens.create("amy", "CI", days=7)
    with eng.db.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM api_tokens")) for v in row)
    assert secret not in stored and secret[len("kft_"):] not in stored


def test_a_token_stops_working_when_it_expires(eng, db_url):
    token, secret = eng.tokens.create("amy", "short", days=1)
    later = Engine(db_url, clock=lambda: token.expires_at + timedelta(seconds=1))
    try:
        assert later.tokens.user_of(secret) is None
        assert eng.tokens.user_of(secret) == "amy"            # a day earlier it still worked
        assert not later.tokens.list("amy")[0].usable(later.ctx.clock())
    finally:
        later.close()


def test_nobody_else_can_revoke_or_see_a_users_token(eng):
    token, secret = eng.tokens.create("amy", "mine", days=30)
    with pytest.raises(NotFound):
        eng.tokens.revoke(token.id, "bob")
    with pytest.raises(NotFound):
        eng.tokens.revoke(token.id, "zed")                     # an admin neither: it is the owner's key
    assert eng.tokens.user_of(secret) == "amy"


def test_deactivating_a_user_revokes_their_tokens_for_good(eng):
    _, first = eng.tokens.create("amy", "one", days=30)
    _, second = eng.tokens.create("amy", "two", days=30)
    eng.admin.set_active("amy", False, "zed")
    assert eng.tokens.user_of(first) is None and eng.tokens.user_of(second) is None
    eng.admin.set_active("amy", True, "zed")
    assert eng.tokens.user_of(first) is None and eng.tokens.user_of(second) is None
    with pytest.raises(NotAllowed):
        eng.admin.set_active("bob", False, "amy")


def test_an_inactive_user_cannot_create_tokens_and_names_and_lifetimes_are_checked(eng):
    with pytest.raises(ValidationFailed) as refused:
        eng.tokens.create("amy", " ", days=0)
    assert {e.path for e in refused.value.errors} == {"$.name", "$.days"}
    with pytest.raises(ValidationFailed):
        eng.tokens.create("amy", "x" * 101, days=400)
    eng.admin.set_active("ann", False, "zed")
    with pytest.raises(NotAllowed):
        eng.tokens.create("ann", "sneaky", days=30)


def test_creating_and_revoking_are_events_on_the_owners_audit_stream(eng):
    token, _ = eng.tokens.create("amy", "audited", days=30)
    eng.tokens.revoke(token.id, "amy")
    other, _ = eng.tokens.create("amy", "left behind", days=30)
    eng.admin.set_active("amy", False, "zed")
    events = [(k, m) for k, m in user_events(eng, "amy") if k.startswith("token_")]   # deactivation is there too
    assert [(k, m["token_id"]) for k, m in events] == [("token_created", token.id), ("token_revoked", token.id),
                                                        ("token_created", other.id), ("token_revoked", other.id)]
    assert events[-1][1]["reason"] == "user deactivated"
    assert eng.verify_audit() == []


def test_last_use_is_recorded_at_most_once_a_minute(eng, db_url):
    token, secret = eng.tokens.create("amy", "busy", days=30)
    assert eng.tokens.user_of(secret) == "amy"
    first = eng.tokens.list("amy")[0].last_used_at
    assert first is not None
    eng.tokens.user_of(secret)
    assert eng.tokens.list("amy")[0].last_used_at == first
    later = Engine(db_url, clock=lambda: first + timedelta(minutes=2))
    try:
        later.tokens.user_of(secret)
        assert later.tokens.list("amy")[0].last_used_at == first + timedelta(minutes=2)
    finally:
        later.close()


@pytest.mark.parametrize("secret", ["", "kft_", "kft_" + "x" * 43, "Bearer kft_x", "x" * 500, "kft_\x00"])
def test_anything_but_a_live_token_is_nobody(eng, secret):
    eng.tokens.create("amy", "real", days=30)
    assert eng.tokens.user_of(secret) is None
