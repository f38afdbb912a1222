"""File fields as spiff-arena's forms send them (`"format": "data-url"`): stored as the project's
attachments, tied to the task; the task data and the history keep only a reference. Both databases."""
from __future__ import annotations

import base64

import pytest

from engine import ValidationFailed

from ..conftest import DATA

PNG = b"\x89PNG\r\n\x1a\n" + b"receipt pixels"
PDF = b"%PDF-1.7 quote"


def data_url(content: bytes, name: str, kind: str = "image/png") -> str:
    return f"data:{kind};name={name};base64,{base64.b64encode(content).decode()}"


def claim_task(eng):
    eng.deploy(DATA / "file_field")
    iid = eng.start("expense_claim", "amy")
    return iid, eng.instance(iid).tasks[0]


def test_a_file_sent_as_a_data_url_is_stored_as_an_attachment_and_the_data_keeps_a_reference(eng):
    iid, task = claim_task(eng)
    eng.complete(task.id, "amy", {"amount": 1200, "receipt": data_url(PNG, "%E6%94%B6%E6%93%9A.png"),
                                  "more": [data_url(PDF, "quote.pdf", "application/pdf")]})
    files = eng.attachments.list(iid, "amy")
    assert [(f.filename, f.content_type, f.task_id) for f in files] == \
        [("收據.png", "image/png", task.id), ("quote.pdf", "application/pdf", task.id)]
    view = eng.instance(iid)
    assert view.data["receipt"] == f"attachment:{files[0].id}" and view.data["more"] == [f"attachment:{files[1].id}"]
    (completed,) = [e for e in view.history if e.kind == "completed"]
    assert completed.data["receipt"] == f"attachment:{files[0].id}"
    assert eng.attachments.open(files[0].id, "amy")[1] == PNG


def test_a_file_field_that_is_not_an_acceptable_file_fails_at_its_field_and_stores_nothing(eng):
    iid, task = claim_task(eng)
    bad = {"amount": 10, "receipt": data_url(b"MZ binary", "tool.exe", "application/octet-stream"),
           "more": ["data:application/pdf;name=a.pdf;base64,%%%", data_url(b"GIF89a", "fake.png")]}
    with pytest.raises(ValidationFailed) as caught:
        eng.complete(task.id, "amy", bad)
    assert [e.path for e in caught.value.errors] == ["$.receipt", "$.more[0]", "$.more[1]"]
    assert "file type not accepted" in caught.value.errors[0].message
    assert eng.attachments.list(iid, "amy") == [] and [t.id for t in eng.instance(iid).tasks] == [task.id]
