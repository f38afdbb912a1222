"""Drafts: unfinished form values a user keeps on a task until they submit it."""
from __future__ import annotations

from .. import forms
from ..db.locks import lock_task
from ..db.schema import Draft
from ..errors import Conflict


class Drafts:
    def __init__(self, eng):
        self._eng = eng

    def save(self, task_id: str, user: str, data: dict) -> None:
        """Keep `data` for `user` on the task; they must be allowed to work on it. A draft
        may be incomplete, but it holds no control characters (line breaks are fine)."""
        self._eng.task(task_id, user)            # raises NotFound / NotAllowed
        forms.validate(None, data)

        def use_case(uow):
            # under the task's lock, as a completion takes it: a draft never lands beside a
            # completion in flight (the completion deletes drafts only if its lock saw some)
            task, _inst = lock_task(uow.session, task_id)
            if task is None or task.state != "open":
                raise Conflict("This task is no longer open")
            row = uow.session.get(Draft, (task_id, user))
            if row is None:
                row = Draft(task_id=task_id, username=user)
                uow.session.add(row)
            row.data, row.updated_at = dict(data), self._eng.ctx.clock()
        self._eng._write(use_case)

    def get(self, task_id: str, user: str) -> dict | None:
        def use_case(uow):
            row = uow.session.get(Draft, (task_id, user))
            return dict(row.data) if row is not None else None
        return self._eng._read(use_case)

    def discard(self, task_id: str, user: str) -> None:
        def use_case(uow):
            row = uow.session.get(Draft, (task_id, user))
            if row is not None:
                uow.session.delete(row)
        self._eng._write(use_case)
