"""Admin → Deploy: upload BPMN, DMN and JSON form files, or one ZIP of a process-model
folder (spiff-arena's layout), and deploy them as new process versions, all or nothing."""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from flask import Blueprint, g, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from engine import FieldError, ValidationFailed

from ..common.current import engine, me
from ..common.fields import field_errors

bp = Blueprint("deploy", __name__, url_prefix="/deploy")
TEXT_FILES = (".bpmn", ".dmn", ".json")
MODEL_FILES = (".bpmn", ".dmn")
MAX_UNPACKED = 16 * 1024 * 1024          # bytes, all files of one upload together
MAX_FILES = 500


def _problem(message: str):
    return ValidationFailed([FieldError("$.files", message)])


def _text(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _problem(_("%(file)s is not UTF-8 text.", file=name)) from None


def _normal(path: PurePosixPath) -> str:
    """The path with a lower-case suffix, as the engine tells models from forms."""
    return path.with_suffix(path.suffix.lower()).as_posix()


def _safe_member(name: str) -> str | None:
    """The member's path if it is a model or form file inside the archive, else None."""
    path = PurePosixPath(name.replace("\\", "/"))
    if name.endswith("/") or not path.parts or path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
        return None
    if any(part.startswith((".", "__MACOSX")) for part in path.parts) or path.suffix.lower() not in TEXT_FILES:
        return None
    return _normal(path)


def unpack_zip(name: str, data: bytes, budget: int) -> dict[str, str]:
    """The model and form files of a ZIP, read in memory; never more than `budget` bytes."""
    files: dict[str, str] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist()[:MAX_FILES]:
                member = _safe_member(info.filename)
                if member is None:
                    continue
                with archive.open(info) as stream:
                    content = stream.read(budget + 1)         # the header's size may lie
                budget -= len(content)
                if budget < 0:
                    raise _problem(_("%(file)s is too large when unpacked.", file=name))
                files[member] = _text(member, content)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError):   # damaged, encrypted, odd
        raise _problem(_("%(file)s is not a valid ZIP file.", file=name)) from None
    return files


def read_uploads(uploads: list[FileStorage]) -> dict[str, str]:
    """{name: text} of every uploaded file; a ZIP adds its members."""
    files: dict[str, str] = {}
    budget = MAX_UNPACKED
    for upload in uploads:
        path = PurePosixPath((upload.filename or "").replace("\\", "/"))
        name = _normal(PurePosixPath(path.name)) if path.name else ""
        if not name:
            continue
        data = upload.read()
        if name.endswith(".zip"):
            unpacked = unpack_zip(name, data, budget)
            budget -= sum(len(t.encode()) for t in unpacked.values())
            files.update(unpacked)
        elif name.endswith(TEXT_FILES):
            files[name] = _text(name, data)
        else:
            raise _problem(_("%(file)s is not a BPMN, DMN, JSON or ZIP file.", file=name))
    if not any(n.endswith(MODEL_FILES) for n in files):
        raise _problem(_("Choose at least one BPMN or DMN file, or a ZIP of a process-model folder."))
    return files


@bp.get("/")
def index():
    return render_template("admin/deploy.html", results=None, errors={}, message=None)


@bp.post("/")
def upload():
    g.redisplay = lambda status, errors, message: (render_template(
        "admin/deploy.html", results=None, errors=field_errors(errors), message=message), status)
    results = engine().deploy_files(read_uploads(request.files.getlist("files")), user=me())
    return render_template("admin/deploy.html", results=results, errors={}, message=None)
