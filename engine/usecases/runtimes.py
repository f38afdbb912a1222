"""Loaded workflows of recently used instances, so the next request skips deserialising.

Only committed states live here, keyed by (instance id, row version): a use case *takes*
the entry out, so no two requests ever share one object, and the changed runtime goes
back only once its transaction succeeded. A failed step is simply never put back, and the
next request loads the stored state, so "a failed step changes nothing" stays true.

A cache is a second path to the same state, so it must equal a fresh load. Tests install
`RuntimeCache(verify=True)` as `engine.ctx.runtimes`: every runtime put back is then compared
with a fresh load of the stored state against a freshly parsed, never-run model, and any
difference raises `CacheDiverged`.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from ..catalog import content_hash
from ..db.schema import Instance
from ..spiff import ProcessModel, Runtime, parse_bundle
from . import calls


class CacheDiverged(AssertionError):
    """A runtime kept in memory differs from what another process would load (a bug)."""


class RuntimeCache:
    def __init__(self, size: int = 64, verify: bool = False):
        self._size = size
        self._entries: OrderedDict[str, tuple[int, int, Runtime]] = OrderedDict()
        self._lock = threading.Lock()
        self._verify = verify
        self._pristine: dict[str, ProcessModel] = {}     # parsed, never run: only loaded from

    def take(self, inst: Instance) -> Runtime | None:
        with self._lock:
            entry = self._entries.pop(inst.id, None)
        if entry is None or entry[:2] != (inst.version, inst.definition_id):
            return None
        return entry[2]

    def put(self, inst: Instance, rt: Runtime) -> None:
        if self._verify:
            self._check(inst, rt)
        with self._lock:
            self._entries[inst.id] = (inst.version, inst.definition_id, rt)
            self._entries.move_to_end(inst.id)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def _pristine_model(self, model: ProcessModel) -> ProcessModel:
        key = content_hash(model.files)
        if key not in self._pristine:
            self._pristine[key] = parse_bundle(dict(model.files))[model.process_id]
        return self._pristine[key]

    def _check(self, inst: Instance, rt: Runtime) -> None:
        chosen = {tid: (key, self._pristine_model(m)) for tid, (key, m) in rt.called_models().items()}
        fresh = Runtime.load(self._pristine_model(rt.model), inst.workflow, {}, chosen)
        diff = rt.differences_from(fresh)
        if diff:
            raise CacheDiverged(f"instance {inst.id} v{inst.version}: the cached workflow differs from a "
                                "fresh load:\n" + "\n".join(diff))


def load_runtime(ctx, uow, inst: Instance, model: ProcessModel, functions: dict) -> Runtime:
    """The instance's runtime, from the cache when it holds this very version."""
    rt = ctx.runtimes.take(inst)
    resolve = calls.resolver(ctx, uow.session)
    if rt is None:
        rt = Runtime.load(model, inst.workflow, functions, calls.chosen(ctx, uow.session, inst), resolve)
    else:
        rt.bind(functions, resolve)
    uow.on_success(lambda: ctx.runtimes.put(inst, rt))    # inst.version is the saved one by then
    return rt
