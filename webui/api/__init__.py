"""The JSON API (`/api/v1`): a personal access token drives the same engine use cases as the
pages do, with the same rights; errors are problem details; the OpenAPI document describes
every route (tests keep the two equal). See docs/api.md."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")

from . import auth, docs, instances, processes, tasks  # noqa: E402  (each adds its routes to bp)

bp.before_request(auth.sign_in_by_token)


@bp.after_request
def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


__all__ = ["bp"]
