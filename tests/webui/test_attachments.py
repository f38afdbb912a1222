"""Files on a project: attached from the task page without losing typed values, listed on the
project page, downloaded only by those who may see the project, refused with a reason."""
from __future__ import annotations

from io import BytesIO

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from engine import demo

from .conftest import login, open_task, page_of, start_project, text_of
from .test_tasks import answer_form

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def at_proposal(engine, client) -> str:
    iid = start_project(client)
    for bpmn_id in ("customer_info", "competitor_info", "project_info", "decision_makers", "decision_participants"):
        demo.complete_open(engine, iid, bpmn_id)
    return iid


def post_multipart(client, url: str, fields: dict):
    """Encoded in memory: the test client spools big bodies to a file it never closes."""
    boundary, body = encode_multipart(MultiDict(fields))
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def attach(client, task_id: str, name: str, content: bytes, **typed):
    upload = FileStorage(BytesIO(content), filename=name, content_type="application/octet-stream")
    return post_multipart(client, f"/tasks/{task_id}", {"_action": "attach", "attachment": upload, **typed})


def file_error(response) -> str:
    return " ".join(page_of(response).get_element_by_id("field-attachment--error").text_content().split())


def test_the_rep_attaches_a_pdf_and_the_project_page_lists_it(client, engine):
    login(client, "amy")
    iid = at_proposal(engine, client)
    task = open_task(engine, iid, "proposal")
    response = attach(client, task.id, "提案 proposal.pdf", PDF)
    assert response.status_code == 302 and response.location.endswith(f"/tasks/{task.id}#files")
    [stored] = engine.attachments.list(iid, "amy")
    assert (stored.filename, stored.size, stored.uploaded_by, stored.task_id) == ("提案 proposal.pdf", len(PDF), "amy",
                                                                                  task.id)
    page = page_of(client.get(f"/projects/{iid}"))
    [row] = page.xpath("//section[@id='files']//table/tbody/tr")
    assert "提案 proposal.pdf" in row.text_content() and "林雅美 Amy Lin" in row.text_content()
    assert row.xpath(".//a/@href") == [f"/files/{stored.id}"]


def test_attaching_keeps_what_was_typed_as_a_draft(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "project_info")
    attach(client, task.id, "notes.txt", "會議紀錄 meeting notes".encode(),
           **{"project.problem_to_solve": "Peak-hour failures"})
    page = page_of(client.get(f"/tasks/{task.id}"))
    assert page.get_element_by_id("field-project-problem_to_solve").value.strip() == "Peak-hour failures"
    assert engine.drafts.get(task.id, "amy")["project.problem_to_solve"] == "Peak-hour failures"


def test_a_file_chosen_before_completing_is_attached_too(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "customer_info")
    data = {**answer_form(engine, task, "customer_info"), "attachment": FileStorage(BytesIO(PDF), "customer.pdf")}
    assert post_multipart(client, f"/tasks/{task.id}", data).status_code == 302
    assert [f.filename for f in engine.attachments.list(iid, "amy")] == ["customer.pdf"]
    assert "customer_info" not in {t.bpmn_id for t in engine.instance(iid).tasks}


def test_a_download_is_an_attachment_with_its_stored_type_and_no_sniffing(client, engine):
    login(client, "amy")
    iid = start_project(client)
    stored = engine.attachments.add(iid, "amy", "報價 quote.pdf", PDF)
    response = client.get(f"/files/{stored.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E5%A0%B1%E5%83%B9%20quote.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_someone_who_may_not_see_the_project_gets_403_for_its_files(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Private files")
    stored = engine.attachments.add(iid, "amy", "secret.pdf", PDF)
    login(client, "ray")
    assert client.get(f"/files/{stored.id}").status_code == 403
    client.post("/logout")
    login(client, "bob")                                     # her manager may
    assert client.get(f"/files/{stored.id}").status_code == 200


def test_an_unknown_file_is_404(client):
    login(client, "amy")
    assert client.get("/files/no-such-file").status_code == 404


def test_a_refused_type_is_named_next_to_the_field_and_the_typed_values_stay(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "project_info")
    response = attach(client, task.id, "setup.exe", b"MZ\x90\x00", **{"project.problem_to_solve": "Kept"})
    assert response.status_code == 422
    assert "This type of file is not accepted" in file_error(response) or "不接受" in file_error(response)
    assert ".pdf" in file_error(response)
    assert page_of(response).get_element_by_id("field-project-problem_to_solve").value.strip() == "Kept"
    assert engine.attachments.list(iid, "amy") == []


def test_a_file_whose_content_does_not_match_its_name_is_refused(client, engine):
    login(client, "amy")
    iid = start_project(client)
    response = attach(client, open_task(engine, iid, "project_info").id, "fake.pdf", b"<html>not a pdf</html>")
    assert response.status_code == 422 and ".pdf" in file_error(response)


def test_an_empty_file_and_no_file_are_refused_with_a_reason(client, engine):
    client.post("/language", data={"lang": "en", "next": "/"})
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "project_info")
    assert file_error(attach(client, task.id, "empty.pdf", b"")) == "The file is empty."
    response = post_multipart(client, f"/tasks/{task.id}", {"_action": "attach"})
    assert response.status_code == 422 and file_error(response) == "Choose a file to attach first."


def test_a_file_over_the_engines_limit_is_refused_at_the_field(client, engine):
    client.post("/language", data={"lang": "en", "next": "/"})
    login(client, "amy")
    iid = start_project(client)
    big = b"%PDF" + b"0" * (10 * 1024 * 1024)
    response = attach(client, open_task(engine, iid, "project_info").id, "big.pdf", big)
    assert response.status_code == 422 and file_error(response) == "The file is larger than 10 MB."


def test_a_request_far_over_the_limit_gets_a_friendly_413_page(client, engine):
    client.post("/language", data={"lang": "en", "next": "/"})
    login(client, "amy")
    iid = start_project(client)
    huge = b"%PDF" + b"0" * (11 * 1024 * 1024)
    response = attach(client, open_task(engine, iid, "project_info").id, "huge.pdf", huge)
    assert response.status_code == 413
    assert "at most 10 MB" in text_of(response)


def test_the_file_field_is_part_of_the_task_form_and_sent_as_multipart(client, engine):
    login(client, "amy")
    iid = start_project(client)
    page = page_of(client.get(f"/tasks/{open_task(engine, iid, 'project_info').id}"))
    [form] = page.xpath("//form[contains(@class,'task-form')]")
    assert form.get("enctype") == "multipart/form-data"
    assert form.xpath(".//input[@type='file'][@name='attachment']/@accept")[0].startswith(".csv,")
    assert form.xpath(".//label[@for='field-attachment']")


def test_a_file_name_cannot_smuggle_a_header(client, engine):
    login(client, "amy")
    iid = start_project(client)
    stored = engine.attachments.add(iid, "amy", "a\r\nSet-Cookie: x=1.txt", b"hello")
    response = client.get(f"/files/{stored.id}")
    assert response.status_code == 200 and not [v for k, v in response.headers if k == "Set-Cookie" and "x=1" in v]
    assert response.headers["Content-Disposition"] == 'attachment; filename="aSet-Cookie: x=1.txt"'
