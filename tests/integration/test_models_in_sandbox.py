"""Every model we ship or test with deploys and starts in the script sandbox, and a script that goes past
a bound becomes an incident that leaves the instance as it was. Both databases.

The behaviour tests of each model (test_constructs_across_processes, test_key_account_process, ...)
drive them to the end, in the same sandbox."""
from __future__ import annotations

import shutil

import pytest

from engine import ProcessError

from ..conftest import DATA, ROOT

MODELS = [ROOT / "workflows", *sorted(p for p in DATA.iterdir() if p.is_dir())]


def _bundles(folder):
    """A model folder is one bundle, or (like call_across) holds its bundles as subfolders, deployed in order."""
    if any(folder.glob("*.bpmn")):
        return [folder]
    return sorted(p for p in folder.iterdir() if p.is_dir())
# refused at deploy for reasons that are not about scripts (their own tests say why)
NOT_DEPLOYABLE = {"ad_hoc_subprocess": "adHocSubProcess is not supported", "diagram": "Exactly one start event"}
# started with the data their behaviour tests give them (None), or here with the data their caller passes
START_DATA = {"key_account_development": None, "mi_parallel_collection": None, "mi_parallel_completion_condition": None,
              "mi_sequential_collection": None, "mi_sequential_completion_condition": None, "mi_subprocess": None,
              "travel_booking": {"cities": ["Taipei"], "start_date": "2026-12-14", "customer": "Formosa Foods",
                                 "kickoff_venue": "TICC"}}


@pytest.mark.parametrize("folder", MODELS, ids=lambda p: p.name)
def test_every_model_deploys_and_starts_in_the_sandbox(eng, folder):
    if folder.name in NOT_DEPLOYABLE:
        with pytest.raises(Exception, match=NOT_DEPLOYABLE[folder.name]):
            eng.deploy(folder)
        return
    deployed = [process for bundle in _bundles(folder) for process in eng.deploy(bundle)]
    assert deployed
    for process in deployed:
        data = START_DATA.get(process["process_id"], {"project_name": folder.name})
        if data is None:
            continue
        iid = eng.start(process["process_id"], "zed", data)   # an admin starts anything
        assert eng.instance(iid).status in ("running", "completed") and not eng.instance(iid).incidents


def test_a_script_past_its_step_budget_is_refused_and_the_instance_is_unchanged(eng, tmp_path):
    folder = tmp_path / "script_globals"
    shutil.copytree(DATA / "script_globals", folder)
    bpmn = folder / "script_globals.bpmn"
    bpmn.write_text(bpmn.read_text().replace("import time\n", "import time\nwhile True:\n    pass\n"))
    eng.deploy(folder)
    with pytest.raises(ProcessError, match="loop steps"):
        eng.start("script_globals", "amy", {})
    assert eng.tasks("amy") == []
