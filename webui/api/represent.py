"""What the API answers: the engine's views as JSON (times in ISO 8601, UTC)."""
from __future__ import annotations

import json
from datetime import date, datetime

from flask import Response, url_for

from engine.views import HistoryEvent, InstanceView, ProcessView, TaskView


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def respond(body, status: int = 200, headers: dict | None = None) -> Response:
    text = "" if body is None else json.dumps(body, ensure_ascii=False, default=_default)
    response = Response(text, status=status, mimetype="application/json" if body is not None else None)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def task_summary(task: TaskView) -> dict:
    return {"id": task.id, "instance_id": task.instance_id, "bpmn_id": task.bpmn_id, "name": task.name,
            "kind": task.kind, "state": task.state, "lane": task.lane, "assignee": task.assignee,
            "group": task.group, "due": _time(task.due), "created": _time(task.created),
            "project_name": task.project_name, "account_name": task.account_name, "owner": task.owner,
            "href": url_for("api.get_task", task_id=task.id)}


def task_detail(task: TaskView) -> dict:
    return {**task_summary(task), "instructions": task.instructions,
            "form": {"schema": task.form, "ui_schema": task.ui_schema, "values": task.values}}


def _event(event: HistoryEvent) -> dict:
    return {"id": event.id, "at": _time(event.at), "actor": event.actor, "kind": event.kind,
            "task_id": event.task_id, "bpmn_id": event.bpmn_id, "task_name": event.task_name, "data": event.data}


def instance(view: InstanceView) -> dict:
    return {"id": view.id, "process_id": view.process_id, "version": view.version, "status": view.status,
            "outcome": view.outcome, "owner": view.owner, "name": view.project_name, "stage": view.stage,
            "created_at": _time(view.created_at), "updated_at": _time(view.updated_at),
            "next_timer_at": _time(view.next_timer_at), "data": view.data,
            "open_tasks": [task_summary(t) for t in view.tasks], "history": [_event(e) for e in view.history]}


def process(view: ProcessView) -> dict:
    body = {"id": view.process_id, "name": view.name, "version": view.version, "startable": view.startable,
            "href": url_for("api.get_process", process_id=view.process_id)}
    if view.start_form is not None:
        body["start_form"] = {"schema": view.start_form.schema, "ui_schema": view.start_form.ui_schema}
    return body
