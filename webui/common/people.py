"""Fields that pick a person (`"format": "username"`): the form offers today's active users."""
from __future__ import annotations

import copy

from .current import engine


def with_people(schema: dict) -> dict:
    """`schema` with a choice of the active users on each username field that has none."""
    choices = None

    def walk(node):
        nonlocal choices
        if not isinstance(node, dict):
            return
        if node.get("format") == "username" and "oneOf" not in node:
            if choices is None:
                choices = [{"const": u.username, "title": f"{u.display_name} ({u.username})"}
                           for u in engine().users() if u.active]
            node["oneOf"] = choices
        for sub in (node.get("properties") or {}).values():
            walk(sub)
        walk(node.get("items"))

    schema = copy.deepcopy(schema)
    walk(schema)
    return schema
