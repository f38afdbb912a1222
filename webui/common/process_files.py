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


def process_info(instance_id: str) -> ProcessInfo:
    cache = g.setdefault("process_info", {})
    if instance_id not in cache:
        info = engine().process_info(instance_id)
        cache[instance_id] = ProcessInfo(dict(info.names),
                                         {k: schema for k, (schema, _ui) in info.forms.items() if schema},
                                         tuple(info.forms))
    return cache[instance_id]
