"""Loaded workflows of recently used instances, so the next request skips deserialising.

Only committed states live here, keyed by (instance id, row version): a use case *takes*
the entry out, so no two requests ever share one object, and the changed runtime goes
back only once its transaction succeeded. A failed step is simply never put back, and the
next request loads the stored state, so "a failed step changes nothing" stays true.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from ..db.schema import Instance
from ..spiff import ProcessModel, Runtime


class RuntimeCache:
    def __init__(self, size: int = 64):
        self._size = size
        self._entries: OrderedDict[str, tuple[int, int, Runtime]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, inst: Instance) -> Runtime | None:
        with self._lock:
            entry = self._entries.pop(inst.id, None)
        if entry is None or entry[:2] != (inst.version, inst.definition_id):
            return None
        return entry[2]

    def put(self, inst: Instance, rt: Runtime) -> None:
        with self._lock:
            self._entries[inst.id] = (inst.version, inst.definition_id, rt)
            self._entries.move_to_end(inst.id)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def load_runtime(ctx, uow, inst: Instance, model: ProcessModel, functions: dict) -> Runtime:
    """The instance's runtime, from the cache when it holds this very version."""
    rt = ctx.runtimes.take(inst)
    if rt is None:
        rt = Runtime.load(model, inst.workflow, functions)
    else:
        rt.bind(functions)
    uow.on_success(lambda: ctx.runtimes.put(inst, rt))    # inst.version is the saved one by then
    return rt
