"""Messages waiting to be shown ride the signed cookie until the next page shows them. A client
that never follows its redirects (a script, a benchmark's loop) must not grow that cookie, and
every request's cost with it, for as long as it keeps posting."""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

from webui.sessions import FLASHES_KEPT

from .conftest import login


def _carried(client) -> list:
    """The messages the signed cookie carries to the next page."""
    app = client.application
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie).get("flashes") or []


def _save_settings(client, times: int) -> None:
    for _ in range(times):
        response = client.post("/settings/preferences", data={"locale": "en", "time_zone": "Asia/Taipei",
                                                              "notify": "on"})
        assert response.status_code == 302


def test_posts_without_looking_keep_only_the_newest_messages(client):
    login(client, "amy")
    _save_settings(client, FLASHES_KEPT + 20)
    page = client.get("/settings/").get_data(as_text=True)
    assert page.count("Your settings were saved.") == FLASHES_KEPT


def test_the_cookie_carries_a_handful_of_messages_however_many_posts_go_unseen(client):
    login(client, "amy")
    _save_settings(client, 40)
    assert 1 <= len(_carried(client)) == FLASHES_KEPT <= 10


def test_a_shown_message_is_gone_from_the_next_page(client):
    login(client, "amy")
    _save_settings(client, 1)
    assert "Your settings were saved." in client.get("/settings/").get_data(as_text=True)
    assert "Your settings were saved." not in client.get("/settings/").get_data(as_text=True)
