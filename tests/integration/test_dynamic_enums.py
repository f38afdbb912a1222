"""spiff-arena's dynamic enums: a field written `"anyOf": ["options_from_task_data_var:NAME"]`
offers the choices a script put in the task's data, when the form is shown and when an answer
is checked (tests/data/dynamic_options/), on both databases."""
from __future__ import annotations

import pytest

from engine import ValidationFailed

from ..conftest import DATA

pytestmark = pytest.mark.across_processes


def store_task(eng, region: str):
    iid = eng.start("store_visit", "amy")
    (pick,) = eng.instance(iid).tasks
    (store,) = eng.complete(pick.id, "amy", {"region": region})
    return eng.task(store.id, "amy")


def test_a_form_with_options_from_task_data_deploys_shows_and_checks_the_instances_own_choices(eng):
    assert [r["process_id"] for r in eng.deploy(DATA / "dynamic_options")] == ["store_visit"]
    north, south = store_task(eng, "north"), store_task(eng, "south")
    assert north.form["properties"]["store"]["oneOf"] == [
        {"const": "TPE-01", "title": "Taipei Main Station"}, {"const": "KEE-02", "title": "Keelung Harbour"}]
    assert south.form["properties"]["also"]["items"]["oneOf"] == [{"const": "KHH-07", "title": "Kaohsiung Port"}]

    with pytest.raises(ValidationFailed) as caught:
        eng.complete(north.id, "amy", {"store": "KHH-07", "also": ["KEE-02", "TPE-99"]})
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$.also[1]", "must be one of the choices"), ("$.store", "must be one of the choices")]
    eng.complete(north.id, "amy", {"store": "TPE-01", "also": ["KEE-02"]})
    eng.complete(south.id, "amy", {"store": "KHH-07"})
    assert sorted(r["status"] for r in eng.instances()) == ["completed", "completed"]


def test_a_dynamic_enum_whose_list_is_missing_offers_no_choice(eng, tmp_path):
    bpmn = (DATA / "dynamic_options" / "store_visit.bpmn").read_text(encoding="utf-8")
    eng.deploy_files({"store_visit.bpmn": bpmn.replace("stores = [", "shops = ["),
                      "region.schema.json": (DATA / "dynamic_options" / "region.schema.json").read_text(),
                      "store.schema.json": (DATA / "dynamic_options" / "store.schema.json").read_text()})
    task = store_task(eng, "north")
    assert task.form["properties"]["store"]["enum"] == []
    with pytest.raises(ValidationFailed) as caught:
        eng.complete(task.id, "amy", {"store": "TPE-01"})
    assert [e.path for e in caught.value.errors] == ["$.store"]
