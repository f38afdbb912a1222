"""Over HTTPS cookies are `Secure` and HSTS is sent; a proxy's X-Forwarded-* headers count only when
KAMFLOW_TRUSTED_PROXIES says a proxy is there (anyone can send them)."""
from __future__ import annotations

from engine import demo

from .conftest import make_app

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}


def sign_in(app, **kwargs):
    return app.test_client().post("/login", data={"username": "amy", "password": demo.PASSWORD}, **kwargs)


def test_forwarded_headers_are_ignored_unless_a_proxy_is_configured(engine, tmp_path):
    response = sign_in(make_app(engine, tmp_path), headers=FORWARDED)
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def test_behind_a_configured_tls_proxy_cookies_are_secure_and_hsts_is_sent(engine, tmp_path):
    response = sign_in(make_app(engine, tmp_path, TRUSTED_PROXIES=1), headers=FORWARDED)
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Secure" in response.headers["Set-Cookie"]


def test_secure_cookies_can_be_required_without_a_proxy(engine, tmp_path):
    assert "Secure" in sign_in(make_app(engine, tmp_path, SESSION_COOKIE_SECURE=True)).headers["Set-Cookie"]


def test_a_trusted_proxy_gives_sign_in_throttling_the_clients_address(engine, tmp_path):
    app = make_app(engine, tmp_path, TRUSTED_PROXIES=1)
    for _attempt in range(10):
        app.test_client().post("/login", data={"username": "amy", "password": "wrong password"},
                               headers={"X-Forwarded-For": "203.0.113.5"})
    assert sign_in(app, headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    assert sign_in(app, headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 302
