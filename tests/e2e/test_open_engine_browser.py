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
