"""The OpenAPI 3.1 document (webui/api/openapi.json, kept equal to the routes by tests) and
the reference page drawn from it on the server: no script, no CDN, works offline."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Response, render_template
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..errors.problems import TYPES
from . import bp

DOCUMENT = Path(__file__).resolve().parent / "openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=1)
def document() -> dict:
    """The document as shipped (read once: it is a file of the release, not state)."""
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def resolve(node: dict) -> dict:
    """A `$ref` to a component, followed; anything else as it is."""
    while isinstance(node, dict) and "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = document()["components"][kind][name]
    return node


def type_of(schema: dict | None) -> str:
    """A schema in a few words: `string (uuid) | null`, `array of TaskSummary`, `TaskSummary + object`."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "allOf" in schema:
        return " + ".join(type_of(s) for s in schema["allOf"])
    kinds = schema.get("type", "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = []
    for kind in kinds:
        if kind == "array":
            words.append(f"array of {type_of(schema.get('items'))}")
        elif kind != "null" and schema.get("format"):
            words.append(f"{kind} ({schema['format']})")
        else:
            words.append(kind)
    if "enum" in schema:
        words[0] += ": " + ", ".join(map(str, schema["enum"]))
    return " | ".join(words)


def operations() -> list[dict]:
    """Each operation with its parameters, body and answers resolved, in document order."""
    doc, found = document(), []
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            body = resolve(op.get("requestBody") or {})
            body_schema = next(iter(body.get("content", {}).values()), {}).get("schema") if body else None
            answers = []
            for code, answer in op["responses"].items():
                answer = resolve(answer)
                media, content = next(iter(answer.get("content", {}).items()), (None, {}))
                answers.append({"code": code, "description": answer.get("description", ""), "media": media,
                                "type": type_of(content.get("schema")) if media else ""})
            found.append({"id": op["operationId"], "method": method.upper(), "path": path, "tags": op.get("tags", []),
                          "summary": op.get("summary", ""), "description": op.get("description", ""),
                          "public": op.get("security") == [], "body": type_of(body_schema) if body_schema else None,
                          "parameters": [resolve(p) for p in op.get("parameters", [])], "responses": answers})
    return found


def schemas() -> list[dict]:
    """Each component schema with its properties, for the page's last section."""
    out = []
    for name, schema in document()["components"]["schemas"].items():
        parts = schema.get("allOf", [schema])
        props, required = {}, set()
        for part in parts:
            if "$ref" not in part:
                props.update(part.get("properties", {}))
                required.update(part.get("required", []))
        out.append({"name": name, "description": schema.get("description", ""),
                    "extends": [_ref_name(p["$ref"]) for p in parts if "$ref" in p],
                    "properties": [{"name": k, "type": type_of(v), "required": k in required,
                                    "description": v.get("description", "")} for k, v in props.items()]})
    return out


@bp.app_template_filter("api_type")
def api_type(schema: dict | None) -> str:
    return type_of(schema)


@bp.app_template_filter("inline_markdown")
def inline_markdown(text: str | None) -> Markup:
    """The document's descriptions are CommonMark; raw HTML in them is shown as text."""
    return Markup(_MARKDOWN.renderInline(text or ""))  # nosec B704 - html is off: raw HTML comes out escaped


@bp.get("/openapi.json")
def openapi():
    return Response(json.dumps(document(), ensure_ascii=False), mimetype="application/json")


@bp.get("/reference")
def reference():
    doc = document()
    return render_template("api/reference.html", info=doc["info"], server=doc["servers"][0]["url"],
                           tags=doc["tags"], operations=operations(), schemas=schemas(), problems=TYPES)
