"""The task page: complete through HTTP, validation round trip, rows without JavaScript,
drafts, conflicts, permissions, the generic form and the instructions sandbox."""
from __future__ import annotations

from engine import demo
from webui.common.formdata import flatten
from webui.tasks.instructions import render_instructions

from ..conftest import DATA as MODELS
from .conftest import DATA, login, open_task, page_of, start_project, text_of


def answer_form(engine, task, bpmn_id: str, **extra) -> dict:
    form = flatten(engine.task(task.id, task.assignee or "zoe").form, demo.answer(bpmn_id))
    return {**form, "_action": "complete", **extra}


def test_the_rep_starts_a_project_and_completes_the_customer_form_over_http(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "customer_info")
    page = client.get(f"/tasks/{task.id}")
    assert page.status_code == 200
    assert page_of(page).get_element_by_id("field-customer-name") is not None
    response = client.post(f"/tasks/{task.id}", data=answer_form(engine, task, "customer_info"))
    assert response.status_code == 302 and response.location.startswith("/tasks/")   # on to the next form
    done = [e for e in engine.instance(iid).history if e.kind == "completed"]
    assert done[-1].bpmn_id == "customer_info" and done[-1].data["customer"]["name"] == "台北捷運公司 Taipei Metro"
    assert "customer_info" not in {t.bpmn_id for t in engine.instance(iid).tasks}


def test_a_rep_cannot_open_or_complete_a_managers_task(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Review me")
    review = open_task(engine, iid, "manager_review")
    login(client, "amy")
    assert client.get(f"/tasks/{review.id}").status_code == 403
    assert client.post(f"/tasks/{review.id}", data={"manager_review.decision": "approve"}).status_code == 403
    assert open_task(engine, iid, "manager_review").state == "open"


def test_a_failed_submission_keeps_every_typed_value_and_shows_each_error(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "customer_info")
    typed = {"customer.name": "Acme <Corp> & Sons", "customer.industry": "Rail",
             "customer.criteria.sales_volume": "lots", "customer.contact_channels.0.detail": "Ask for Mr. Wu",
             "_rows.customer.contact_channels": "1", "_action": "complete"}
    response = client.post(f"/tasks/{task.id}", data=typed)
    assert response.status_code == 422
    page = page_of(response)
    assert page.get_element_by_id("field-customer-name").value == "Acme <Corp> & Sons"
    assert page.get_element_by_id("field-customer-industry").value == "Rail"
    typed_score = page.get_element_by_id("field-customer-criteria-sales_volume--typed")
    assert (typed_score.get("value"), typed_score.get("checked")) == ("lots", "checked")
    assert page.get_element_by_id("field-customer-contact_channels-0-detail").value == "Ask for Mr. Wu"
    links = page.xpath("//div[@id='error-summary']//a/@href")
    assert "#field-customer-account_type" in links and "#field-customer-criteria-sales_volume" in links
    assert page.xpath("//*[@id='field-customer-account_type--error']")
    assert "Acme <Corp>" not in response.get_data(as_text=True)      # escaped, never raw
    assert open_task(engine, iid, "customer_info").state == "open"


def test_add_row_works_without_javascript_and_keeps_the_values(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "decision_makers")
    response = client.post(f"/tasks/{task.id}", data={
        "decision_makers.0.name": "Director Lin", "_rows.decision_makers": "1", "_add_row": "decision_makers"})
    assert response.status_code == 200
    page = page_of(response)
    assert page.get_element_by_id("field-decision_makers-0-name").value == "Director Lin"
    assert page.get_element_by_id("field-decision_makers-1-name").value in ("", None)
    assert open_task(engine, iid, "decision_makers").state == "open"


def test_remove_row_drops_the_ticked_row(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "decision_makers")
    response = client.post(f"/tasks/{task.id}", data={
        "decision_makers.0.name": "Keep", "decision_makers.1.name": "Drop", "_rows.decision_makers": "2",
        "_remove_row": "decision_makers.1", "_add_row": "decision_makers"})
    names = [i.value for i in page_of(response).xpath("//input[contains(@name, '.name')]")]
    assert "Keep" in names and "Drop" not in names


def test_a_saved_draft_comes_back_on_the_next_visit_and_can_be_discarded(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "project_info")
    response = client.post(f"/tasks/{task.id}", data={"project.problem_to_solve": "Peak-hour failures",
                                                      "_action": "draft"})
    assert response.status_code == 302
    page = client.get(f"/tasks/{task.id}")
    assert page_of(page).get_element_by_id("field-project-problem_to_solve").value.strip() == "Peak-hour failures"
    assert open_task(engine, iid, "project_info").state == "open"
    client.post(f"/tasks/{task.id}", data={"_action": "discard"})
    page = client.get(f"/tasks/{task.id}")
    assert (page_of(page).get_element_by_id("field-project-problem_to_solve").value or "").strip() == ""


def test_a_task_completed_elsewhere_answers_409_and_keeps_the_input(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "customer_info")
    engine.complete(task.id, "amy", demo.answer("customer_info"))    # e.g. in another tab
    response = client.post(f"/tasks/{task.id}", data=answer_form(engine, task, "customer_info",
                                                                  **{"customer.industry": "Late typing"}))
    assert response.status_code == 409
    assert page_of(response).get_element_by_id("field-customer-industry").value == "Late typing"
    assert "已有其他人完成這項任務" in text_of(response)


def test_a_task_without_a_form_gets_a_comment_box_and_a_complete_button(client, engine):
    engine.deploy(DATA / "no_form")
    iid = engine.start("no_form", "amy", {"project_name": "Paperwork"})
    task = engine.instance(iid).tasks[0]
    login(client, "amy")
    page = page_of(client.get(f"/tasks/{task.id}"))
    assert page.xpath("//textarea[@name='comment']") and page.xpath("//button[@value='complete']")
    response = client.post(f"/tasks/{task.id}", data={"comment": "All in order", "_action": "complete"})
    assert response.status_code == 302
    assert engine.instance(iid).status == "completed"


def test_review_pages_show_the_decision_as_radio_buttons_and_the_earlier_answers(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Review me")
    login(client, "bob")
    response = client.get(f"/tasks/{open_task(engine, iid, 'manager_review').id}")
    page = page_of(response)
    assert len(page.xpath("//input[@type='radio'][@name='manager_review.decision']")) == 2
    assert "台北捷運公司 Taipei Metro" in text_of(response)      # the customer form's answer, read-only


def test_the_rep_sees_the_return_reason_on_the_resubmitted_proposal(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Return me")
    demo.complete_open(engine, iid, "manager_review", "return")
    login(client, "amy")
    text = text_of(client.get(f"/tasks/{open_task(engine, iid, 'proposal').id}"))
    assert "請補充預算核准流程" in text


def test_instructions_are_filled_in_a_sandbox_and_escaped():
    shown = str(render_instructions("Describe **{{ project_name }}**\nnext", {"project_name": "<b>X</b>"}))
    assert shown == "<p>Describe <strong>&lt;b&gt;X&lt;/b&gt;</strong><br />\nnext</p>\n"
    sneaky = "{{ project_name.__class__.__mro__ }}"
    assert "object" not in str(render_instructions(sneaky, {"project_name": "x"}))


def test_instructions_are_markdown_as_spiff_arena_writes_them_without_raw_html_or_script_links():
    shown = str(render_instructions("## Steps\n\n1. Call {{ who }}\n2. [Log it](https://example.com)\n\n"
                                    "<script>alert(1)</script> [bad](javascript:alert(1))", {"who": "Mr. Lin"}))
    assert "<h2>Steps</h2>" in shown and "<li>Call Mr. Lin</li>" in shown
    assert '<a href="https://example.com">Log it</a>' in shown
    assert "<script>" not in shown and "&lt;script&gt;" in shown and 'href="javascript' not in shown


def test_a_second_review_opens_undecided_with_the_first_decision_beside_it(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Round two")
    demo.complete_open(engine, iid, "manager_review", "return")
    demo.complete_open(engine, iid, "proposal")
    login(client, "bob")
    response = client.get(f"/tasks/{open_task(engine, iid, 'manager_review').id}")
    page = page_of(response)
    assert not page.xpath("//input[@name='manager_review.decision'][@checked]")
    assert page.xpath("//section[@aria-labelledby='rounds-heading']//*[contains(@class,'badge-return')]")


def test_the_reviewer_sees_what_changed_since_the_return(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Changes")
    demo.complete_open(engine, iid, "manager_review", "return")
    changed = demo.answer("proposal")["proposal"] | {"summary": "Now with the budget approval steps"}
    engine.complete(open_task(engine, iid, "proposal").id, "amy", {"proposal": changed})
    login(client, "bob")
    response = client.get(f"/tasks/{open_task(engine, iid, 'manager_review').id}")
    table = page_of(response).xpath("//section[@aria-labelledby='changes-heading']//li")
    assert len(table) == 1
    row = " ".join(table[0].text_content().split())
    assert "摘要" in row and "Cloud ticketing back office" in row and "Now with the budget approval steps" in row


def test_a_draft_survives_signing_out_and_is_gone_once_the_task_is_done(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "customer_info")
    client.post(f"/tasks/{task.id}", data={"customer.industry": "Rail", "_action": "draft"})
    client.post("/logout")
    login(client, "amy")
    page = page_of(client.get(f"/tasks/{task.id}"))
    assert page.get_element_by_id("field-customer-industry").value == "Rail"
    assert page.xpath("//p[contains(@class,'note-draft')]")
    client.post(f"/tasks/{task.id}", data=answer_form(engine, task, "customer_info"))
    assert engine.drafts.get(task.id, "amy") is None


def test_a_draft_is_kept_per_user(client, engine):
    login(client, "amy")
    iid = start_project(client)
    task = open_task(engine, iid, "customer_info")
    client.post(f"/tasks/{task.id}", data={"customer.industry": "Rail", "_action": "draft"})
    assert engine.drafts.get(task.id, "amy") is not None and engine.drafts.get(task.id, "bob") is None


def test_a_manual_task_shows_its_markdown_instructions_and_a_done_button_and_takes_nothing_else(client, engine):
    engine.deploy(MODELS / "manual_steps")
    iid = engine.start("manual_steps", "amy")
    task = engine.instance(iid).tasks[0]
    login(client, "amy")
    page = page_of(client.get(f"/tasks/{task.id}"))
    assert page.xpath("string(//div[@class='instructions-body']/h2)") == "Count the Taoyuan shelves"
    assert page.xpath("//div[@class='instructions-body']/ol/li/strong/text()") == ["every"]
    assert page.xpath("//div[@class='form-actions']/button/text()") == ["已完成"]
    assert not page.xpath("//form[contains(@class, 'task-form')]//textarea")
    response = client.post(f"/tasks/{task.id}", data={"_action": "complete"})
    assert response.status_code == 302
    (report,) = engine.instance(iid).tasks
    assert report.bpmn_id == "file_report" and response.location.endswith(f"/tasks/{report.id}")
    assert "Put the count sheet in the <em>stock</em> binder." in client.get(response.location).get_data(as_text=True)


def test_a_dynamic_enum_whose_list_is_empty_is_a_select_with_no_choices_that_says_so(client, engine):
    folder = MODELS / "dynamic_options"
    engine.deploy_files({name: (folder / name).read_text(encoding="utf-8") for name in
                         ("region.schema.json", "store.schema.json")} | {"store_visit.bpmn": (
        folder / "store_visit.bpmn").read_text(encoding="utf-8").replace('[("KHH-07", "Kaohsiung Port")]', "[]")})
    iid = engine.start("store_visit", "amy")
    (store,) = engine.complete(engine.instance(iid).tasks[0].id, "amy", {"region": "south"})
    assert engine.task(store.id, "amy").data["stores"] == []
    login(client, "amy")
    page = page_of(client.get(f"/tasks/{store.id}"))
    (select,) = page.xpath("//select[@id='field-store']")
    assert [(o.get("value"), o.text) for o in select.xpath("option")] == [("", "請選擇…")]
    help_id = select.get("aria-describedby")
    assert page.get_element_by_id(help_id).text_content() == "這個欄位目前還沒有可選的項目。"
    assert page.xpath("//input[@name='store']") == []
    refused = client.post(f"/tasks/{store.id}", data={"store": "", "_action": "complete"})
    assert refused.status_code == 422 and page_of(refused).xpath("//select[@id='field-store']")
    assert open_task(engine, iid, "pick_store").state == "open"
