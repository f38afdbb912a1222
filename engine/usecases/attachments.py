"""Files attached to a project: the proposal document, customer material.

Stored with the instance in the database (so every app process sees them), with a
size limit and a type check by extension *and* by the file's first bytes.
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import select

from ..db.schema import Attachment, Instance, Task
from ..errors import FieldError, NotAllowed, NotFound, ValidationFailed
from ..text import LIMITS

MAX_BYTES = 10 * 1024 * 1024
# extension -> (content type, accepted leading bytes; empty = text, checked as UTF-8)
TYPES = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".txt": ("text/plain; charset=utf-8", ()),
    ".csv": ("text/csv; charset=utf-8", ()),
}


@dataclass(frozen=True)
class AttachmentView:
    id: str
    instance_id: str
    task_id: str | None
    filename: str
    content_type: str
    size: int
    uploaded_by: str
    created_at: datetime


def _view(row: Attachment) -> AttachmentView:
    return AttachmentView(row.id, row.instance_id, row.task_id, row.filename, row.content_type, row.size,
                          row.uploaded_by, row.created_at)


def clean_name(filename: str | None) -> str:
    """The file's own name without folders or control characters (they break headers)."""
    name = PurePath((filename or "").replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable()).strip()


def check_file(filename: str, content: bytes) -> str:
    """The content type to store, or ValidationFailed saying what is wrong with the file."""
    name = clean_name(filename)
    ext = PurePath(name).suffix.lower()
    if len(name) > LIMITS["filename"]:               # the column's size: refused, never cut short
        raise ValidationFailed([FieldError("$.file",
                                           f"the file name is longer than {LIMITS['filename']} characters")])
    if not name or ext not in TYPES:
        allowed = ", ".join(sorted(TYPES))
        raise ValidationFailed([FieldError("$.file", f"file type not accepted; use one of {allowed}")])
    if not content:
        raise ValidationFailed([FieldError("$.file", "the file is empty")])
    if len(content) > MAX_BYTES:
        raise ValidationFailed([FieldError("$.file", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")])
    content_type, magic = TYPES[ext]
    if magic and not content.startswith(magic):
        raise ValidationFailed([FieldError("$.file", f"the content is not a {ext} file")])
    if not magic:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed([FieldError("$.file", "a text file must be UTF-8")]) from None
    return content_type


class Attachments:
    def __init__(self, eng):
        self._eng = eng

    def add(self, instance_id: str, user: str, filename: str, content: bytes, task_id: str | None = None):
        content_type = check_file(filename, content)
        if not self._eng.may_view(instance_id, user):
            raise NotAllowed(f"{user} may not add files to this project")

        def use_case(uow):
            if uow.session.get(Instance, instance_id) is None:
                raise NotFound(f"No instance {instance_id!r}")
            if task_id is not None:
                task = uow.session.get(Task, task_id)
                if task is None or task.instance_id != instance_id:
                    raise NotFound(f"No task {task_id!r} in this project")
            row = Attachment(id=str(uuid.uuid4()), instance_id=instance_id, task_id=task_id,
                             filename=clean_name(filename), content_type=content_type,
                             size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content,
                             uploaded_by=user, created_at=self._eng.ctx.clock())
            uow.session.add(row)
            uow.session.flush()
            return _view(row)
        return self._eng._write(use_case)

    def list(self, instance_id: str, user: str) -> list[AttachmentView]:
        if not self._eng.may_view(instance_id, user):
            raise NotAllowed(f"{user} may not see this project")
        return self._eng._read(lambda uow: [_view(r) for r in uow.session.scalars(
            select(Attachment).where(Attachment.instance_id == instance_id).order_by(Attachment.created_at))])

    def open(self, attachment_id: str, user: str) -> tuple[AttachmentView, bytes]:
        def use_case(uow):
            row = uow.session.get(Attachment, attachment_id)
            if row is None:
                raise NotFound(f"No attachment {attachment_id!r}")
            return _view(row), bytes(row.content)
        view, content = self._eng._read(use_case)
        if not self._eng.may_view(view.instance_id, user):
            raise NotAllowed(f"{user} may not see this file")
        return view, content
