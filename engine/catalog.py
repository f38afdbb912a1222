"""Deployed process versions: deploy a folder or uploaded files, and load parsed models.

Definitions are versioned by content hash (BPMN, DMN and forms together); deploying the
same content again is a no-op, even from many processes at once (deploys queue behind one
lock), and running instances keep the version they started on.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import auditlog
from .db.locks import lock_deployments
from .db.process_catalog import CatalogEntry
from .db.schema import Definition, ProcessSequence, utcnow
from .errors import DeployError, NotFound
from .forms import with_data_options
from .spiff import ProcessModel, parse_bundle
from .text import column_limit, problem

MODEL_FILES = (".bpmn", ".dmn")


def read_folder(folder: Path) -> dict[str, str]:
    """Every BPMN and DMN file under `folder`, by its path relative to the folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DeployError(f"no such folder: {folder}")
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.suffix in MODEL_FILES and p.is_file()}


def form_finder(extra: dict[str, str], folder: Path | None, forms_dir: Path | None):
    """Find a form beside its BPMN file first, then in the forms folder."""
    def lookup(bpmn_file: str, form_name: str) -> str | None:
        if form_name in extra:
            return extra[form_name]
        places = []
        if folder is not None:
            places.append(Path(folder) / Path(bpmn_file).parent / form_name)
        if forms_dir is not None:
            places.append(Path(forms_dir) / form_name)
        for place in places:
            if place.is_file():
                return place.read_text(encoding="utf-8")
        return None
    return lookup


def content_hash(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(files.items()), ensure_ascii=False).encode()).hexdigest()


def _check_forms(model: ProcessModel) -> None:
    for name, schema in model.forms.items():
        try:
            Draft202012Validator.check_schema(with_data_options(schema, None))
        except SchemaError as exc:
            where = "/".join(map(str, exc.absolute_path)) or "(root)"
            raise DeployError(f"not a valid JSON Schema at {where}: {exc.message}", file=name) from exc


def _check_names(pid: str, model: ProcessModel) -> None:
    """The process id, its name and its file's name must fit their columns, on one line."""
    for what, value, column in (("process id", pid, Definition.process_id),
                                ("process name", model.name, Definition.name),
                                ("file name", model.main_file, Definition.main_file)):
        message = problem(value, column_limit(column))
        if message:
            raise DeployError(f"the {what} {message}", file=model.main_file[:column_limit(column)])


def deploy_bundle(session: Session, files: dict[str, str], lookup, actor: str | None) -> list[dict]:
    """Parse everything first (all or nothing), then store each new version."""
    def deployed(process_id: str) -> bool:
        return session.scalar(select(Definition.id).where(Definition.process_id == process_id).limit(1)) is not None
    models = parse_bundle(files, form_lookup=lookup, deployed=deployed)
    for pid, model in models.items():
        _check_names(pid, model)
        _check_forms(model)
    lock_deployments(session)
    results = []
    for pid, model in sorted(models.items()):
        digest = content_hash(model.files)
        existing = session.scalar(select(Definition).where(
            Definition.process_id == pid, Definition.content_hash == digest))
        if existing is not None:
            results.append({"process_id": pid, "version": existing.version, "hash": digest, "new": False})
            continue
        latest = session.scalar(select(func.max(Definition.version)).where(Definition.process_id == pid))
        if latest is None and session.get(ProcessSequence, pid) is None:
            session.add(ProcessSequence(process_id=pid, last_number=0))     # instance numbers start at 1
        if session.get(CatalogEntry, pid) is None:      # new: offered to everyone until an admin says otherwise
            session.add(CatalogEntry(process_id=pid, offered=model.offered_at_first_deploy, home=False,
                                     descriptions={}, updated_at=utcnow()))
        row = Definition(process_id=pid, version=(latest or 0) + 1, content_hash=digest, name=model.name,
                         main_file=model.main_file, files=model.files, deployed_by=actor)
        session.add(row)
        session.flush()
        results.append({"process_id": pid, "version": row.version, "hash": digest, "new": True})
        auditlog.record(session, "system", "deployed", actor, utcnow(),
                        meta={"process_id": pid, "version": row.version, "hash": digest})
    return results


def latest_definition(session: Session, process_id: str) -> Definition:
    row = session.scalar(select(Definition).where(Definition.process_id == process_id)
                         .order_by(Definition.version.desc()).limit(1))
    if row is None:
        raise NotFound(f"No deployed process {process_id!r}")
    return row


class ModelCache:
    """Parsed models by content hash: parsing costs milliseconds, a lookup microseconds."""

    def __init__(self, size: int = 32):
        self._size = size
        self._models: OrderedDict[str, ProcessModel] = OrderedDict()
        self._ids: dict[int, str] = {}
        self._lock = threading.Lock()

    def by_id(self, session: Session, definition_id: int) -> ProcessModel:
        """The model of a stored definition; rows are immutable, so the id is a safe key and
        the (large) file contents are read from the database only on a cache miss."""
        with self._lock:
            key = self._ids.get(definition_id)
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
        definition = session.get(Definition, definition_id)
        model = self.get(definition)
        with self._lock:
            self._ids[definition_id] = definition.content_hash
        return model

    def get(self, definition: Definition) -> ProcessModel:
        key = definition.content_hash
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
        model = parse_bundle(dict(definition.files))[definition.process_id]
        with self._lock:
            self._models[key] = model
            while len(self._models) > self._size:
                self._models.popitem(last=False)
        return model
