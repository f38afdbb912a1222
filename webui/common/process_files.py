"""What the UI reads about an instance's deployed process: element names and task forms.

The engine describes the deployed version (`Engine.process_info`); this keeps the part
the pages use, once per request.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g

from .current import engine


@dataclass(frozen=True)
class ProcessInfo:
    names: dict[str, str]            # element id -> name
    forms: dict[str, dict]           # user task id -> JSON Schema (tasks with a form)
    user_tasks: tuple[str, ...]      # in document order


def _kept(info) -> ProcessInfo:
    return ProcessInfo(dict(info.names), {k: schema for k, (schema, _ui) in info.forms.items() if schema},
                       tuple(info.forms))


def process_info(instance_id: str) -> ProcessInfo:
    cache = g.setdefault("process_info", {})
    if instance_id not in cache:
        cache[instance_id] = _kept(engine().process_info(instance_id))
    return cache[instance_id]


def remember(infos: dict) -> None:
    """Keep what a list's read brought along ({instance id: engine ProcessInfo}) for this request."""
    cache = g.setdefault("process_info", {})
    for instance_id, info in infos.items():
        cache.setdefault(instance_id, _kept(info))
