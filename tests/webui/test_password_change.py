"""Passwords: at least 12 characters, not a common one, for a user's own change and an admin's alike;
changing mine needs my current password and signs me out everywhere else."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import ValidationFailed, demo
from engine.db.schema import AuditEvent
from engine.password_rules import password_error

from .conftest import login

NEW = "tea by the harbour at dusk"


def change(client, current, new):
    return client.post("/settings/password", data={"current_password": current, "new_password": new})


def test_changing_my_password_ends_my_other_sessions_and_keeps_this_one(app, engine):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "amy")
    login(elsewhere, "amy")
    response = change(here, demo.PASSWORD, NEW)
    assert response.status_code == 302
    assert here.get("/settings/").status_code == 200
    assert elsewhere.get("/settings/").location.startswith("/login")
    assert engine.authenticate("amy", NEW) is not None and engine.authenticate("amy", demo.PASSWORD) is None
    with engine.ctx.uow(read_only=True) as uow:
        kinds = list(uow.session.scalars(select(AuditEvent.kind).where(AuditEvent.stream == "user:amy")))
    assert "password_changed" in kinds


@pytest.mark.parametrize("current, new, field, message", [
    ("not my password", NEW, "current_password", "與您目前的密碼不符"),
    (demo.PASSWORD, "short one", "new_password", "至少需要 12 個字元"),
    (demo.PASSWORD, "Password1234", "new_password", "最常見的密碼"),
    (demo.PASSWORD, demo.PASSWORD, "new_password", "不可與目前的密碼相同"),
])
def test_a_refused_password_change_says_why_at_its_field_and_changes_nothing(client, engine, current, new, field,
                                                                              message):
    login(client, "amy")
    response = change(client, current, new)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert f'id="field-{field}--error"' in response.get_data(as_text=True)
    assert engine.authenticate("amy", demo.PASSWORD) is not None


@pytest.mark.parametrize("password", ["eleven char", "qwertyuiop123", "1234567890123"])
def test_an_admin_sets_passwords_by_the_same_rules(engine, password):
    with pytest.raises(ValidationFailed) as caught:
        engine.add_user("pat", groups=["rep"], password=password)
    assert [e.path for e in caught.value.errors] == ["$.password"]


def test_the_demo_password_follows_the_rules():
    assert password_error(demo.PASSWORD) is None
