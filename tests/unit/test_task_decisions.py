"""What a completed task's answer decided, as the task row keeps it for the returns report: the
engine's rule (engine/usecases/decisions.py) and migration 0020's copy of it agree."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from engine.usecases.decisions import decided

MIGRATION = Path(__file__).resolve().parents[2] / "engine" / "migrations" / "versions" / "0020_task_decisions.py"

ANSWERS = [
    ({"manager_review": {"decision": "return", "return_to": "proposal", "reason_code": "unclear_value"}},
     ("return", "unclear_value")),
    ({"manager_review": {"decision": "approve", "reason_code": "unclear_value"}}, ("approve", None)),
    ({"vote": {"decision": "decline", "reason_code": "weak_relationships", "comment": "x"}},
     ("decline", "weak_relationships")),
    ({"tiebreak": {"decision": "return", "comment": "the chair decides"}}, ("return", None)),
    ({"vote": {"decision": "return", "reason_code": 3}}, ("return", None)),
    ({"proposal": {"summary": "no decision here"}, "decision": "approve"}, (None, None)),
    ({"review": {"decision": ["approve"]}}, (None, None)),
    ({}, (None, None)),
    (None, (None, None)),
    ({"review": {"decision": "d" * 80, "reason_code": "r" * 300}}, ("d" * 64, "r" * 200)),
]


@pytest.mark.parametrize(("answer", "expected"), ANSWERS)
def test_a_review_answer_keeps_its_decision_and_a_reason_unless_it_approves(answer, expected):
    assert decided(answer) == expected


@pytest.mark.parametrize(("answer", "expected"), ANSWERS)
def test_migration_0020_reads_an_answer_as_the_engine_keeps_it_whether_stored_as_json_or_text(answer, expected):
    spec = importlib.util.spec_from_file_location("m0020", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.decided(answer) == expected
    assert migration.decided(json.dumps(answer)) == expected
