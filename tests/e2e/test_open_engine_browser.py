"""Models written the spiff-arena way, worked in a real browser: a manual task with Markdown
instructions and a "Done" button, and a lane that reaches a group an admin made on the admin pages."""
from __future__ import annotations

import pytest

from ..conftest import DATA
from .conftest import shot
from .pages import fill_form, log_in, log_out, submit

pytestmark = pytest.mark.e2e


def test_a_manual_task_shows_its_instructions_and_is_done_with_one_button(page, live):
    live.engine.deploy(DATA / "manual_steps")
    iid = live.engine.start("manual_steps", "amy")
    log_in(page, live.url, "amy")
    page.click("table.task-table >> text=Count the shelves")
    assert page.locator(".instructions-body h2").inner_text() == "Count the Taoyuan shelves"
    assert page.locator(".instructions-body li strong").inner_text() == "every"
    shot(page, "20-manual-task")
    submit(page)
    assert page.locator(".flash-success").count() == 1
    assert page.locator("h1").inner_text() == "File the report"
    assert page.locator(".instructions-body em").inner_text() == "stock"
    assert [t.bpmn_id for t in live.engine.instance(iid).tasks] == ["file_report"]


def test_a_lane_reaches_the_group_an_admin_made_and_named_lane_owners(page, live):
    live.engine.deploy(DATA / "lanes_to_groups")
    log_in(page, live.url, "zoe")
    page.goto(f"{live.url}/admin/groups/")
    page.fill("#field-name", "compliance")
    page.fill("#field-description", "禮品與招待審核")
    page.click("form[action$='/admin/groups/'] button[type='submit']")
    page.select_option("#field-username", "cat")
    page.click("#members ~ form button[type='submit']")
    assert "黃美玲 Cathy Huang" in page.locator(".member-list").inner_text()
    shot(page, "21-admin-group")
    log_out(page)

    iid = live.engine.start("gift_check", "amy")
    log_in(page, live.url, "amy")
    page.click("table.task-table >> text=Describe the gift")
    page.fill("#field-gift-recipient", "林處長 Director Lin")
    page.fill("#field-gift-value", "3000")
    submit(page)
    assert page.locator(".flash-success").count() == 1
    log_out(page)

    log_in(page, live.url, "cat")
    page.click("table.task-table >> text=Compliance review")
    fill_form(page, {"verdict": "approve"})
    shot(page, "22-compliance-review")
    submit(page)
    log_out(page)

    log_in(page, live.url, "col")
    assert page.locator("table.task-table").inner_text().count("Give a second opinion") == 1
    page.click("table.task-table >> text=Give a second opinion")
    assert "林處長 Director Lin" in page.locator(".instructions-body").inner_text()
    submit(page)
    view = live.engine.instance(iid)
    assert [e.actor for e in view.history if e.kind == "completed"] == ["amy", "cat", "col"]


def test_a_request_started_from_the_catalog_calls_a_process_deployed_on_its_own(page, live):
    live.engine.deploy(DATA / "call_across" / "called_v1")
    live.engine.deploy(DATA / "call_across" / "caller")
    live.engine.groups.create("Purchasing", "zoe")
    live.engine.groups.add_member("Purchasing", "bob", "zoe")
    live.engine.process_catalog.change("purchase_request", "zoe", descriptions={"zh_Hant": "採購申請：報價後下單"})
    log_in(page, live.url, "amy")
    page.click("nav.main-nav >> text=申請")
    entry = page.locator("li.catalog-entry", has_text="Purchase request")
    assert entry.locator("p").inner_text() == "採購申請：報價後下單"
    entry.locator("a.button").click()
    page.click("form.start-form button[type='submit']")
    page.wait_for_load_state()
    assert page.locator(".flash-success").count() == 1
    assert page.locator("p.eyebrow").inner_text() == "Purchase request"
    page.click(".open-tasks >> text=Describe the purchase")
    fill_form(page, {"item": "筆記型電腦 Laptop"})
    submit(page)
    (iid,) = [r["id"] for r in live.engine.instances()]
    page.goto(f"{live.url}/projects/{iid}")
    assert "Check the price → price_check 第 1 版" in page.locator("main").inner_text()
    page.click("nav.main-nav >> text=申請")
    assert page.locator("table.data-table a").inner_text() == "筆記型電腦 Laptop"
    shot(page, "24-requests")
    log_out(page)

    log_in(page, live.url, "bob")
    page.click("table.task-table >> text=Quote the price")
    assert page.locator(".instructions-body strong").inner_text() == "筆記型電腦 Laptop"
    fill_form(page, {"quote.price": "32000"})
    shot(page, "23-called-process-task")
    submit(page)
    assert page.locator(".flash-success").count() == 1
    log_out(page)

    log_in(page, live.url, "amy")
    page.click("table.task-table >> text=Confirm the order")
    assert page.locator(".instructions-body").inner_text().strip() == "Order 筆記型電腦 Laptop at 32000 TWD."
    submit(page)
    view = live.engine.instance(iid)
    assert (view.status, view.data["quote"]) == ("completed", {"price": 32000})
