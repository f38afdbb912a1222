"""Default-on protections: CSRF on every POST, a strict Content-Security-Policy, safe headers.

Behind a TLS-terminating proxy, set KAMFLOW_TRUSTED_PROXIES to the number of proxies in front:
only then are their X-Forwarded-For/-Proto headers believed (werkzeug's ProxyFix), so HTTPS
requests are known as such and get HSTS and `Secure` cookies, and sign-in throttling counts the
client's address rather than the proxy's. Without it those headers are ignored (anyone can send them).
"""
from __future__ import annotations

from flask import request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()

HSTS = "max-age=31536000; includeSubDomains"
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def secure_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app) -> None:
    csrf.init_app(app)
    app.after_request(secure_headers)
    proxies = app.config.get("TRUSTED_PROXIES") or 0
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
