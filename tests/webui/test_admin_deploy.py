"""Admin → Deploy: upload model and form files or a ZIP; a broken file deploys nothing."""
from __future__ import annotations

import io
import zipfile

import pytest

from engine import Engine, NotFound, demo

from ..conftest import DATA, ROOT
from .conftest import login, page_of, text_of

MODEL_FILES = sorted((ROOT / "workflows").glob("*.*")) + sorted((ROOT / "forms").glob("*.json"))


@pytest.fixture
def engine(tmp_path):
    """Users but no process deployed yet, so the first upload makes version 1."""
    eng = Engine(f"sqlite:///{tmp_path / 'kamflow.db'}", forms_dir=tmp_path / "no-forms")
    demo.create_users(eng)
    yield eng
    eng.close()


def uploads(*paths, renamed: dict | None = None) -> dict:
    renamed = renamed or {}
    return {"files": [(io.BytesIO(renamed.get(p.name, p.read_bytes())), p.name) for p in paths]}


def results(response) -> dict[str, tuple[str, str]]:
    return {r.xpath("string(td[1])"): (r.xpath("string(td[2])"), r.xpath("string(td[4])"))
            for r in page_of(response).xpath("//tbody/tr")}


def test_uploading_the_real_workflows_deploys_version_1_then_nothing_new(client, engine):
    login(client, "zoe")
    client.post("/language", data={"lang": "en", "next": "/"})
    first = client.post("/admin/deploy/", data=uploads(*MODEL_FILES), content_type="multipart/form-data")
    assert first.status_code == 200
    assert results(first)[demo.PROCESS] == ("1", "New version")
    again = client.post("/admin/deploy/", data=uploads(*MODEL_FILES), content_type="multipart/form-data")
    assert results(again)[demo.PROCESS] == ("1", "Unchanged")
    assert engine.start(demo.PROCESS, "amy", {"project_name": "Deployed by upload"})


def test_a_broken_bpmn_names_file_and_line_and_deploys_nothing(client, engine):
    good = DATA / "broken_gateway" / "broken_gateway.bpmn"
    broken = good.read_text().replace('<bpmn:endEvent id="end" />', '<bpmn:endEvent id="end">')
    login(client, "zoe")
    response = client.post("/admin/deploy/", content_type="multipart/form-data", data={"files": [
        (io.BytesIO(good.read_bytes()), "gateway.bpmn"), (io.BytesIO(broken.encode()), "broken.bpmn")]})
    assert response.status_code == 422
    text = text_of(response)
    assert "broken.bpmn" in text and "line 17" in text
    with pytest.raises(NotFound):
        engine.start("broken_gateway", "amy", {"project_name": "Never deployed"})


def test_a_zip_of_a_process_model_folder_deploys_and_unsafe_members_are_ignored(client, engine):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for path in MODEL_FILES:
            z.write(path, f"key-account/{path.name}")
        z.writestr("key-account/process_model.json", '{"display_name": "Key account"}')
        z.writestr("../escape.bpmn", "<not even xml")
        z.writestr("__MACOSX/key-account/._proposal.bpmn", "junk")
        z.writestr("key-account/README.md", "not deployed")
    login(client, "zoe")
    response = client.post("/admin/deploy/", content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(archive.getvalue()), "key-account.zip")]})
    assert response.status_code == 200, text_of(response)
    assert results(response)[demo.PROCESS][0] == "1"


@pytest.mark.parametrize(("name", "content"), [("notes.txt", b"hello"), ("model.zip", b"not a zip"),
                                               ("forms.json", b"{}"), ("latin1.bpmn", "caf\u00e9".encode("latin-1"))])
def test_an_upload_without_a_usable_model_is_refused_at_the_file_field(client, engine, name, content):
    login(client, "zoe")
    response = client.post("/admin/deploy/", content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(content), name)]})
    assert response.status_code == 422
    assert name in text_of(response) or page_of(response).xpath("//*[@id='field-files--error']")
    assert page_of(response).xpath("//*[@id='field-files--error']")
