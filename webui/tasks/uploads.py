"""File fields of a task form (`"format": "data-url"`, as spiff-arena writes them): the browser
uploads a file; the engine takes it as the data URL spiff-arena would send and stores it as an
attachment."""
from __future__ import annotations

import base64
from urllib.parse import quote

from werkzeug.datastructures import MultiDict

from engine.usecases.attachments import MAX_BYTES


def _field_schema(schema: dict, path: str) -> dict | None:
    node = schema
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get("items") if part.isdigit() else (node.get("properties") or {}).get(part)
    return node if isinstance(node, dict) else None


def with_uploads(schema: dict, form, files) -> MultiDict:
    """The posted form plus each uploaded file of a file field, as a data URL."""
    posted = MultiDict(form)
    for name, upload in files.items(multi=True):
        field = _field_schema(schema, name)
        if not upload.filename or field is None or field.get("format") != "data-url":
            continue
        content = upload.read(MAX_BYTES + 1)
        kind = upload.mimetype or "application/octet-stream"
        posted[name] = f"data:{kind};name={quote(upload.filename)};base64,{base64.b64encode(content).decode()}"
    return posted
