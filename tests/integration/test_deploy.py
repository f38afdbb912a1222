"""Deploying process versions: idempotent by content, all or nothing, errors name the place."""
from __future__ import annotations

import shutil

import pytest

from engine import DeployError

from ..conftest import DATA


def copy_loop(tmp_path, name="loop"):
    target = tmp_path / name
    shutil.copytree(DATA / "review_loop", target)
    return target


def test_deploying_the_same_content_twice_is_a_no_op(eng, tmp_path):
    folder = copy_loop(tmp_path)
    first = eng.deploy(folder)
    again = eng.deploy(folder)
    assert first[0]["new"] and not again[0]["new"]
    assert (first[0]["version"], again[0]["version"], first[0]["hash"]) == (1, 1, again[0]["hash"])


def test_a_changed_form_makes_a_new_version(eng, tmp_path):
    folder = copy_loop(tmp_path)
    eng.deploy(folder)
    schema = folder / "review.schema.json"
    schema.write_text(schema.read_text().replace('"Review"', '"Review v2"'))
    assert eng.deploy(folder)[0]["version"] == 2


def test_running_instances_keep_their_version_when_v2_is_deployed(eng, tmp_path):
    folder = copy_loop(tmp_path)
    eng.deploy(folder)
    old = eng.start("review_loop", "amy", {"project_name": "On v1"})
    bpmn = folder / "review_loop.bpmn"
    bpmn.write_text(bpmn.read_text().replace("Write the draft", "Write the draft (v2)"))
    assert eng.deploy(folder)[0]["version"] == 2
    new = eng.start("review_loop", "amy", {"project_name": "On v2"})
    names = {t.instance_id: t.name for t in eng.tasks("amy")}
    assert names == {old: "Write the draft", new: "Write the draft (v2)"}
    assert (eng.instance(old).version, eng.instance(new).version) == (1, 2)
    eng.complete(next(t.id for t in eng.tasks("amy") if t.instance_id == old), "amy", {"draft": {"text": "v1"}})
    eng.complete(eng.tasks("bob")[0].id, "bob", {"review": {"decision": "approve"}})
    assert eng.instance(old).outcome == "established"


def test_malformed_xml_names_the_file_and_line_and_deploys_nothing(eng, tmp_path):
    folder = copy_loop(tmp_path)
    (folder / "broken.bpmn").write_text('<?xml version="1.0"?>\n<bpmn:definitions>\n  <oops>\n')
    with pytest.raises(DeployError) as caught:
        eng.deploy(folder)
    assert caught.value.file == "broken.bpmn" and caught.value.line
    with pytest.raises(Exception):
        eng.start("review_loop", "amy", {"project_name": "x"})


def test_a_script_syntax_error_names_the_element(eng, tmp_path):
    folder = copy_loop(tmp_path)
    bpmn = folder / "review_loop.bpmn"
    bpmn.write_text(bpmn.read_text().replace('review["decision"] == "approve"', 'review["decision"] ==== 1'))
    with pytest.raises(DeployError) as caught:
        eng.deploy(folder)
    assert (caught.value.file, caught.value.element) == ("review_loop.bpmn", "decision")
    assert caught.value.line


def test_a_missing_form_file_names_the_task(eng, tmp_path):
    folder = copy_loop(tmp_path)
    (folder / "review.schema.json").unlink()
    with pytest.raises(DeployError) as caught:
        eng.deploy(folder, )
    assert caught.value.element == "review" and "review.schema.json" in str(caught.value)


def test_an_invalid_json_schema_names_the_form_file(eng, tmp_path):
    folder = copy_loop(tmp_path)
    (folder / "draft.schema.json").write_text('{"type": "no-such-type"}')
    with pytest.raises(DeployError) as caught:
        eng.deploy(folder)
    assert caught.value.file == "draft.schema.json"


def test_a_bpmn_that_fails_validation_names_file_line_and_element(eng, tmp_path):
    folder = copy_loop(tmp_path)
    bpmn = folder / "review_loop.bpmn"
    bpmn.write_text(bpmn.read_text().replace('targetRef="end_ok"', 'targetRef="nowhere"'))
    with pytest.raises(DeployError) as caught:
        eng.deploy(folder)
    assert (caught.value.file, caught.value.element) == ("review_loop.bpmn", "f_ok")
    assert caught.value.line and "'nowhere'" in str(caught.value)
