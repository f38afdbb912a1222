"""Instance status transitions and form validation, without a database."""
from datetime import datetime, timezone

import pytest

from engine import Conflict, ValidationFailed
from engine import forms
from engine.status import Status, transition
from engine.usecases.changes import diff

SCHEMA = {"type": "object", "additionalProperties": False, "required": ["a"],
          "properties": {"project_name": {"type": "string", "readOnly": True},
                         "a": {"type": "object", "required": ["n"], "additionalProperties": False,
                               "properties": {"n": {"type": "integer", "minimum": 1},
                                              "d": {"type": "string", "format": "date"},
                                              "k": {"oneOf": [{"const": "x"}, {"const": "y"}]}}}}}


def test_completed_and_terminated_instances_never_change_status():
    for final in (Status.COMPLETED, Status.TERMINATED):
        with pytest.raises(Conflict):
            transition(final, Status.RUNNING)
    assert transition("running", Status.SUSPENDED) == Status.SUSPENDED
    assert transition("error", Status.RUNNING) == Status.RUNNING


def test_validation_names_every_failing_field_by_json_path():
    with pytest.raises(ValidationFailed) as caught:
        forms.validate(SCHEMA, {"a": {"n": 0, "d": "not a date", "k": "z", "extra": 1}})
    assert {e.path for e in caught.value.errors} == {"$.a.n", "$.a.d", "$.a.k", "$.a.extra"}


def test_a_missing_required_field_is_reported_on_the_field_itself():
    with pytest.raises(ValidationFailed) as caught:
        forms.validate(SCHEMA, {"a": {}})
    assert [(e.path, e.field) for e in caught.value.errors] == [("$.a.n", "a.n")]


def test_read_only_fields_are_stripped_from_user_input():
    assert forms.user_part(SCHEMA, {"project_name": "x", "a": {"n": 1}}) == {"a": {"n": 1}}


def test_the_header_date_is_the_users_today():
    late_utc = datetime(2026, 11, 27, 20, 0, tzinfo=timezone.utc)
    assert forms.header("P", "Amy", "Asia/Taipei", late_utc)["date_filled"] == "2026-11-28"
    assert forms.header("P", "Amy", "Europe/London", late_utc)["date_filled"] == "2026-11-27"


def test_diff_lists_changed_added_and_removed_leaves():
    before = {"p": {"a": 1, "b": [1, 2], "c": "x"}, "rows": [{"n": "A"}]}
    after = {"p": {"a": 2, "b": [1, 2]}, "rows": [{"n": "A"}, {"n": "B"}]}
    assert diff(before, after) == [{"field": "p.a", "before": 1, "after": 2},
                                   {"field": "rows[1].n", "before": None, "after": "B"},
                                   {"field": "p.c", "before": "x", "after": None}]


def test_a_project_has_one_standing_and_the_outcome_wins_over_the_status():
    from engine.status import Standing, standing
    assert standing("completed", "established") == Standing.ESTABLISHED
    assert standing("completed", "declined") == Standing.DECLINED
    assert standing("completed", "withdrawn") == Standing.WITHDRAWN
    assert standing("terminated", "withdrawn") == Standing.WITHDRAWN
    assert standing("running", None) == Standing.IN_PROGRESS
    assert standing("suspended", None) == Standing.SUSPENDED
    assert standing("error", None) == Standing.ERROR
    assert standing("terminated", None) == Standing.TERMINATED
    assert standing("completed", None) == Standing.COMPLETED
