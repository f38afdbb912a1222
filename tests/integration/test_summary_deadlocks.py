"""Two steps that commit together on projects of one shard, one a return and one a resubmission,
write the report summaries' shared rows in opposite orders. On PostgreSQL they deadlocked (the
detector ends one after a second; the step ran again): migration 0045 counts at the commit, behind
a lock on the shard, so they queue instead."""
from __future__ import annotations

import logging
import threading

import pytest

from engine.demo import answer, complete_open, to_manager_review

ROUNDS = 12


def same_shard_projects(eng) -> tuple[str, str]:
    """Two projects at the manager's review whose ids begin with the same hex digit."""
    seen: dict[str, str] = {}
    while True:
        iid = to_manager_review(eng, "amy", f"Shard {len(seen)}")
        if iid[0] in seen:
            return seen[iid[0]], iid
        seen[iid[0]] = iid


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_return_and_a_resubmission_committing_together_on_one_shard_queue_instead_of_deadlocking(kam_eng,
                                                                                                    caplog):
    eng = kam_eng.home
    first, second = same_shard_projects(eng)
    complete_open(eng, second, "manager_review", "return")          # the second begins a half-round behind
    together = threading.Barrier(2)
    failures = []

    def loop(iid: str, steps: list[tuple[str, str, str]]):
        try:
            for _ in range(ROUNDS):
                for user, step, decision in steps:
                    task = next(t for t in eng.instance(iid).tasks if t.bpmn_id == step)
                    data = answer(step, decision=decision)
                    together.wait(timeout=30)
                    eng.complete(task.id, user, data)
        except Exception as exc:        # noqa: BLE001 - reported below
            failures.append(exc)
            together.abort()
    returns = [("bob", "manager_review", "return"), ("amy", "proposal", "approve")]
    threads = [threading.Thread(target=loop, args=(first, returns)),
               threading.Thread(target=loop, args=(second, returns[::-1]))]
    with caplog.at_level(logging.INFO, logger="kamflow.engine"):
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
    assert not [r.getMessage() for r in caplog.records if "deadlock" in r.getMessage()]
