"""Completing a task for a page: the step, and what it did, from what the step already holds.

The web page that follows a completion says where the work went and opens the user's next form.
Everything it needs is known inside the completing transaction (the rows it opened, the people it
found, the process's order of steps), so it is handed back here instead of being read again.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from typing import Callable

from .. import forms
from ..views import Completion, TaskView
from . import calls, queries, tasks
from .context import Context


def complete(ctx: Context, uow, task_id: str, username: str, answer: dict | Callable[[TaskView], dict] | None,
             submitted: dict) -> Completion:
    """Complete the task with `answer` (or what `answer(task)` returns, asked once the task is found
    and locked); `submitted` receives the data, for an incident if the step fails."""
    def data_of(row, inst, task_data: dict) -> dict:
        if callable(answer):
            shown = queries.task_view(ctx, uow, row, inst, with_form=False)
            answer_of = answer(replace(shown, form=forms.with_data_options(shown.form, task_data),
                                       data=copy.deepcopy(task_data)))
        else:
            answer_of = answer
        submitted.clear()
        submitted.update(copy.deepcopy(dict(answer_of or {})))  # the cached workflow must not share the caller's dicts
        return copy.deepcopy(submitted)

    done = tasks.complete_task(ctx, uow, task_id, username, data_of)

    def view(row) -> TaskView:
        return queries.task_view(ctx, uow, row, done.inst, done.user, with_form=False)
    following = [r for r in done.open_rows if done.may_act(r)]
    waiting = [r for r in done.open_rows if r not in following]
    people = uow.directory.find_all(r.assignee for r in [*done.opened, *waiting])
    order = dict.fromkeys(b for model in calls.models_of(ctx, uow.session, done.inst) for b in model.user_tasks)
    return Completion(view(done.row), [view(r) for r in following], [view(r) for r in done.opened],
                      [view(r) for r in waiting], done.inst.status, done.inst.outcome,
                      {u: p.display_name for u, p in people.items()}, tuple(order))
