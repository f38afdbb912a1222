"""Every API request signs in by its own bearer token (a personal access token), never by a
browser session: a cookie is ignored, so no other site can make a browser act here and the
API needs no CSRF token. The token acts as its owner, with exactly the owner's rights."""
from __future__ import annotations

from flask import current_app, g, request

from ..common.current import engine
from ..errors.problems import ApiProblem

PUBLIC = {"api.openapi", "api.reference"}
CHALLENGE = 'Bearer realm="kamflow"'


def sign_in_by_token():
    """before_request of the API blueprint: set g.user from the token, or answer 401."""
    g.user = None
    if request.endpoint in PUBLIC:
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        detail = "Send a personal access token: `Authorization: Bearer <token>` (Settings → API tokens)."
        if current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
            detail += " The API does not accept a browser's sign-in."
        raise ApiProblem(401, detail, headers={"WWW-Authenticate": CHALLENGE})
    username = engine().tokens.user_of(secret.strip())
    if username is None:
        raise ApiProblem(401, "This token is unknown, expired or revoked.",
                         headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
    g.user = engine().user(username)
    return None
