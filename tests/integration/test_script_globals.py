"""A model whose scripts use spiff-arena's globals deploys and runs unmodified; a model that
imports what scripts may not is refused at deploy, naming the element. Both databases."""
from __future__ import annotations

import shutil

import pytest

from engine import DeployError

from ..conftest import DATA


@pytest.mark.across_processes
def test_scripts_conditions_and_task_scripts_use_time_json_decimal_and_datetime(eng):
    eng.deploy(DATA / "script_globals")
    iid = eng.start("script_globals", "amy", {})
    (confirm,) = eng.tasks("amy")
    assert confirm.name == "Confirm the large quote"
    eng.complete(confirm.id, "amy", {})
    data = eng.instance(iid).data
    assert eng.instance(iid).status == "completed"
    assert (data["total"], data["valid_until"], data["confirmed_on"]) == ("1001.01", "2026-12-31", "2026-12-02")
    assert data["summary"] == '{"total": "1001.01", "valid_until": "2026-12-31"}'


@pytest.mark.parametrize("script, refusal", [("import os", "import os is not allowed"),
                                             ("x = ().__class__", "__class__ is not allowed")])
def test_a_script_that_reaches_outside_the_sandbox_is_refused_at_deploy(eng, tmp_path, script, refusal):
    folder = tmp_path / "script_globals"
    shutil.copytree(DATA / "script_globals", folder)
    bpmn = folder / "script_globals.bpmn"
    bpmn.write_text(bpmn.read_text().replace("import time\n", f"{script}\nimport time\n"))
    with pytest.raises(DeployError, match=refusal) as caught:
        eng.deploy(folder)
    assert (caught.value.file, caught.value.element) == ("script_globals.bpmn", "price") and caught.value.line
    assert "its line 1" in str(caught.value)
