"""Files attached to a project: attached from the task page, listed on the project page,
downloaded by link only by those who may see the project.

The file field sits inside the task form (sent as multipart), so attaching never loses
what the user typed: the "Attach" button keeps the typed values as a draft first, and a
file chosen before any other button (complete, save draft, add a row) is attached too,
never silently dropped.
"""
from __future__ import annotations

import re
from io import BytesIO

from flask import Blueprint, request, send_file
from flask_babel import gettext as _

from engine.usecases.attachments import MAX_BYTES, TYPES, AttachmentView
from engine.views import TaskView

from ..common.current import engine, me

bp = Blueprint("attachments", __name__)
FIELD = "attachment"                    # the file input's name on the task page
ACCEPT = ",".join(sorted(TYPES))
MAX_MB = MAX_BYTES // (1024 * 1024)


class NoFileChosen(Exception):
    pass


def attach_chosen(task: TaskView, required: bool = False) -> AttachmentView | None:
    """Attach the file chosen on the task page to the task's project; None if none was chosen.

    Raises the engine's ValidationFailed for a refused file, NoFileChosen if `required`.
    """
    upload = request.files.get(FIELD)
    if upload is None or not upload.filename:
        if required:
            raise NoFileChosen()
        return None
    # the engine strips folders and control characters from the name
    return engine().attachments.add(task.instance_id, me(), upload.filename or "", upload.read(), task.id)


_MESSAGES = [
    (re.compile(r"file type not accepted"), lambda m: _("This type of file is not accepted. Use one of: %(types)s.",
                                                        types=", ".join(sorted(TYPES)))),
    (re.compile(r"the file is empty"), lambda m: _("The file is empty.")),
    (re.compile(r"the file is larger than"), lambda m: _("The file is larger than %(mb)s MB.", mb=MAX_MB)),
    (re.compile(r"the content is not a (\.\w+) file"), lambda m: _("The content is not a %(ext)s file.",
                                                                   ext=m.group(1))),
    (re.compile(r"a text file must be UTF-8"), lambda m: _("A text file must be saved as UTF-8.")),
    (re.compile(r"the file name is longer than (\d+) characters"),
     lambda m: _("The file name is longer than %(n)s characters; rename the file and try again.", n=m.group(1))),
]


def error_text(message: str) -> str:
    """The engine's reason for refusing a file, in the page's language."""
    for pattern, text in _MESSAGES:
        found = pattern.search(message)
        if found:
            return text(found)
    return message


def reasons(exc: Exception) -> list[str]:
    """Why no file was attached, in the page's language, for the message beside the field."""
    if isinstance(exc, NoFileChosen):
        return [_("Choose a file to attach first.")]
    return [error_text(e.message) for e in getattr(exc, "errors", [])] or [error_text(str(exc))]


@bp.get("/files/<attachment_id>")
def download(attachment_id: str):
    view, content = engine().attachments.open(attachment_id, me())     # NotAllowed -> 403, NotFound -> 404
    response = send_file(BytesIO(content), mimetype=view.content_type, as_attachment=True,
                         download_name=view.filename, conditional=False, etag=False, max_age=0)
    response.headers["Content-Type"] = view.content_type          # as stored, no second charset
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    if size < 1024:
        return _("%(n)s bytes", n=size)
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
