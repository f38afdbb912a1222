"""Stage 1 in a real browser: a rep, a manager, three committee members and the chair take a
project from start to authorisation; plus validation, permissions and the zh-Hant UI."""
from __future__ import annotations

import re

import pytest

from engine import demo

from .conftest import shot
from .pages import answer_fields, fill_form, log_in, log_out, submit

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
INFORMATION = ("customer_info", "competitor_info", "project_info", "decision_makers", "decision_participants")


def do_task(page, live, iid: str, user: str, bpmn_id: str, decision: str = "approve", screenshot: str = "",
            **overrides) -> None:
    task_id = live.task_id(iid, bpmn_id, None if bpmn_id != "committee_vote" else user)
    page.goto(f"{live.url}/tasks/{task_id}")
    fill_form(page, answer_fields(live, task_id, user, bpmn_id, decision, **overrides))
    if screenshot:
        shot(page, screenshot)
    submit(page)
    assert page.locator(".flash-success").count() == 1, page.content()[:2000]


def attach_proposal_document(page, live, iid: str) -> None:
    """The rep types a little, attaches a PDF, and finds both the file and the typed text."""
    page.goto(f"{live.url}/tasks/{live.task_id(iid, 'proposal')}")
    page.fill("#field-proposal-summary", "Typed before attaching")
    page.set_input_files("#field-attachment", files=[{"name": "Proposal for Taipei Metro.pdf",
                                                      "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#files button[value='attach']")
    page.wait_for_load_state()
    assert page.locator(".flash-success").count() == 1, page.content()[:2000]
    assert page.input_value("#field-proposal-summary") == "Typed before attaching"
    assert "Proposal for Taipei Metro.pdf" in page.locator("#files table").inner_text()
    shot(page, "02b-proposal-with-attachment")


def test_a_project_goes_from_start_to_authorisation_in_the_browser(page, live):
    log_in(page, live.url, "amy", lang="en")
    shot(page, "01-inbox-empty")
    page.click("text=Start a new project")
    page.fill("#field-project_name", "Taipei Metro ticketing")
    page.click("form.stacked-form button[type='submit']")
    page.wait_for_selector("text=Open tasks")
    iid = page.url.rsplit("/", 1)[-1]
    page.click("ul.open-tasks >> text=Customer information")
    assert page.locator("h1").inner_text() == "Customer information"
    for bpmn_id in INFORMATION:
        do_task(page, live, iid, "amy", bpmn_id, screenshot="02-task-decision-makers" if bpmn_id ==
                "decision_makers" else "")
    history = {e.bpmn_id: e.data for e in live.engine.instance(iid).history if e.kind == "completed"}
    assert len(history["decision_makers"]["decision_makers"]) == 2
    assert len(history["competitor_info"]["competitors"]) == 1
    attach_proposal_document(page, live, iid)
    do_task(page, live, iid, "amy", "proposal")
    page.goto(f"{live.url}/projects/{iid}")
    assert "Proposal for Taipei Metro.pdf" in page.locator("#files table").inner_text()
    log_out(page)

    log_in(page, live.url, "bob", lang="en")
    shot(page, "03-inbox-manager")
    page.click("table.task-table >> text=Department manager review")
    do_task(page, live, iid, "bob", "manager_review", "return", screenshot="04-manager-returns")
    log_out(page)

    log_in(page, live.url, "amy")
    page.goto(f"{live.url}/tasks/{live.task_id(iid, 'proposal')}")
    assert "請補充預算核准流程" in page.locator("#rounds-heading + ol").inner_text()
    shot(page, "05-rep-sees-return-reason")
    page.fill("#field-proposal-summary", "Cloud ticketing back office; budget approval steps added")
    submit(page)                                   # the rest of the earlier answer is kept
    log_out(page)

    log_in(page, live.url, "bob")
    page.goto(f"{live.url}/tasks/{live.task_id(iid, 'manager_review')}")
    assert "budget approval steps added" in page.locator("section.changes").inner_text()
    do_task(page, live, iid, "bob", "manager_review", screenshot="05b-manager-sees-changes")
    log_out(page)
    for member in ("cat", "ken", "col"):
        log_in(page, live.url, member)
        do_task(page, live, iid, member, "committee_vote", screenshot="06-committee-vote" if member == "cat" else "")
        log_out(page)
    log_in(page, live.url, "col", lang="en")
    do_task(page, live, iid, "col", "authorisation", screenshot="07-authorisation-form")

    page.goto(f"{live.url}/projects/{iid}")
    assert page.locator(".badge-standing.badge-established").inner_text() == "Established"
    done = page.locator("figure.diagram svg [class*='completed']")
    assert done.count() >= 8
    shot(page, "08-project-established")
    page.click("text=Authorisation record")
    assert "300,000 TWD" in page.locator(".record").inner_text()
    shot(page, "09-authorisation-record")
    page.emulate_media(media="print")
    shot(page, "10-authorisation-print")
    assert live.engine.instance(iid).outcome == "established"


def test_a_validation_error_keeps_what_was_typed(page, live):
    log_in(page, live.url, "amy", lang="en")
    iid = live.engine.start(demo.PROCESS, "amy", {"project_name": "Validation"})
    page.goto(f"{live.url}/tasks/{live.task_id(iid, 'customer_info')}")
    page.fill("#field-customer-name", "Kaohsiung Port Authority")
    page.check("#field-customer-criteria-market_strength--3")
    submit(page)
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.input_value("#field-customer-name") == "Kaohsiung Port Authority"
    assert page.is_checked("#field-customer-criteria-market_strength--3")
    assert page.locator("#field-customer-criteria-sales_volume--error").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    shot(page, "11-validation-error")
    summary.locator("a[href='#field-customer-account_type']").click()
    assert page.url.endswith("#field-customer-account_type")


def test_a_rep_cannot_open_a_managers_task(page, live):
    iid = demo.to_manager_review(live.engine, "amy", "Not for reps")
    log_in(page, live.url, "amy", lang="en")
    response = page.goto(f"{live.url}/tasks/{live.task_id(iid, 'manager_review')}")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Not allowed"
    shot(page, "12-forbidden")


def test_the_traditional_chinese_ui_completes_a_task(page, live):
    log_in(page, live.url, "amy")
    assert page.locator("h1").inner_text() == "待辦事項"
    page.click("text=啟動新專案")
    page.fill("#field-project_name", "長榮物流車隊管理")
    page.click("form.stacked-form button[type='submit']")
    page.click("ul.open-tasks >> text=專案資訊表")
    assert page.locator("h1").inner_text() == "專案資訊表"
    iid = re.search(r"/projects/([^\"']+)", page.locator("p.eyebrow a").get_attribute("href")).group(1)
    fill_form(page, answer_fields(live, live.task_id(iid, "project_info"), "amy", "project_info"))
    shot(page, "13-zh-task")
    page.click("form.task-form .form-actions button[value='complete']")
    assert "已完成：「專案資訊表」" in page.locator(".flash-success").inner_text()
    page.goto(f"{live.url}/projects/{iid}")
    shot(page, "14-zh-project")


def test_the_inbox_works_on_a_phone(browser, live):
    demo.create_projects(live.engine)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        log_in(page, live.url, "amy")
        assert page.locator("table.task-table tbody tr").count() >= 5
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(page, "15-phone-inbox")
        page.click("table.task-table tbody tr >> nth=0 >> a.task-link")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(page, "16-phone-task", full_page=False)
    finally:
        context.close()
