"""File fields as spiff-arena's forms send them: a string field with `"format": "data-url"`
holds the whole file (`data:<type>;name=<file name>;base64,<content>`).

The file is checked like any attachment and stored as one, tied to the task; the task data
keeps only `attachment:<id>`, so files never bloat the workflow state or the audit log.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid
from urllib.parse import unquote

from ..db.schema import Attachment, Instance, Task
from ..errors import FieldError, ValidationFailed
from .attachments import check_file, clean_name

DATA_URL = re.compile(r"data:(?P<type>[^;,]*)(?P<params>(;[^;,]*)*?);base64,(?P<data>.*)", re.S)
REFERENCE = "attachment:"


def _path(parts) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _file_fields(schema, value, parts=()):
    """(path parts, data URL) of every file field's value in `value`, following `schema`."""
    if not isinstance(schema, dict):
        return
    if schema.get("format") == "data-url" and isinstance(value, str) and not value.startswith(REFERENCE):
        yield parts, value
    elif isinstance(value, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if key in value:
                yield from _file_fields(sub, value[key], (*parts, key))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            yield from _file_fields(schema["items"], item, (*parts, i))


def _decode(url: str) -> tuple[str, bytes]:
    found = DATA_URL.fullmatch(url)
    if found is None:
        raise ValueError("is not a file (a base64 data URL)")
    params = dict(p.split("=", 1) for p in found["params"].split(";") if "=" in p)
    try:
        content = base64.b64decode(found["data"], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("is not valid base64") from None
    return clean_name(unquote(params.get("name", ""))), content


def _put(data, parts, reference: str):
    for key in parts[:-1]:
        data = data[key]
    data[parts[-1]] = reference


def store_files(session, inst: Instance, row: Task, schema: dict | None, values: dict, username: str, now) -> dict:
    """`values` with each file field's data URL replaced by a stored attachment's reference;
    a file that is not acceptable fails at its field, and nothing is stored."""
    found = list(_file_fields(schema or {}, values))
    errors, files = [], []
    for parts, url in found:
        try:
            name, content = _decode(url)
            files.append((parts, name, content, check_file(name, content)))
        except ValueError as exc:
            errors.append(FieldError(_path(parts), str(exc)))
        except ValidationFailed as exc:
            errors.extend(FieldError(_path(parts), e.message) for e in exc.errors)
    if errors:
        raise ValidationFailed(errors)
    for parts, name, content, content_type in files:
        attachment = Attachment(id=str(uuid.uuid4()), instance_id=inst.id, task_id=row.id, filename=name,
                                content_type=content_type, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                                content=content, uploaded_by=username, created_at=now)
        session.add(attachment)
        _put(values, parts, REFERENCE + attachment.id)
    return values
