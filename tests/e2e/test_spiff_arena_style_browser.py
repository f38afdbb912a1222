"""The spiff-arena-style model (tests/data/spiff_arena_style) in a real browser, in Traditional
Chinese: the initiator starts it from the process catalog, and each human task is worked on its
page by the people its lanes reach, through the call to the separately deployed travel booking
and past the timer, to the end."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ..conftest import DATA
from .conftest import shot
from .pages import fill_form, log_in, log_out, submit

pytestmark = pytest.mark.e2e
MODEL = DATA / "spiff_arena_style"


def open_from_inbox(page, live, user: str, task_name: str) -> None:
    log_in(page, live.url, user)
    page.click(f"table.task-table >> text={task_name}")
    assert page.locator("h1").inner_text() == task_name


def test_a_spiff_arena_model_is_started_from_the_catalog_and_worked_to_its_end_by_its_lanes(page, live):
    live.engine.deploy(MODEL / "called")
    live.engine.deploy(MODEL / "main")
    for group, members in (("Marketing", ("cat", "ken")), ("Travel Desk", ("sue",))):
        live.engine.groups.create(group, "zoe")
        for member in members:
            live.engine.groups.add_member(group, member, "zoe")

    log_in(page, live.url, "amy")
    page.click("nav.main-nav >> text=申請")
    page.locator("li.catalog-entry", has_text="Customer roadshow").locator("a.button").click()
    page.click("form.start-form button[type='submit']")
    page.wait_for_load_state()
    assert page.locator(".flash-success").count() == 1
    page.click(".open-tasks >> text=Describe the roadshow")
    assert page.locator(".instructions-body strong").inner_text() == "customer"
    fill_form(page, {"customer": "福爾摩沙食品 Formosa Foods", "cities_text": "台北, 台中", "start_date": "2026-12-14",
                     "budget": "600000"})
    submit(page)
    assert page.locator(".flash-success").count() == 1
    (iid,) = [r["id"] for r in live.engine.instances() if r["process_id"] == "customer_roadshow"]
    log_out(page)

    for user, price in (("cat", "250000"), ("ken", "180000")):       # one city each, from the group's inbox
        open_from_inbox(page, live, user, "Quote a venue")
        city = page.locator(".instructions-body strong").inner_text()
        assert city in ("台北", "台中") and "silver" in page.locator(".instructions-body").inner_text()
        fill_form(page, {"venue_quote.venue": f"{city}會議中心", "venue_quote.price": price})
        shot(page, f"30-multi-instance-{user}")
        submit(page)
        assert page.locator(".flash-success").count() == 1
        log_out(page)

    open_from_inbox(page, live, "amy", "Pick the kick-off venue")
    rows = page.locator(".instructions-body table tbody tr")
    assert rows.count() == 2 and "430000" in page.locator(".instructions-body").inner_text()
    choices = page.locator("#field-kickoff_venue option").all_inner_texts()
    assert choices[1:] == [q["venue"] + f" ({q['price']} TWD)" for q in live.engine.instance(iid).data["venue_quotes"]]
    fill_form(page, {"kickoff_venue": "台中會議中心"})
    shot(page, "31-dynamic-enum")
    submit(page)
    log_out(page)

    open_from_inbox(page, live, "sue", "Book the hotel")                 # in travel_booking, deployed apart
    assert page.locator(".instructions-body strong").inner_text() == "2"
    fill_form(page, {"hotel": "台中日月千禧酒店", "booking_reference": "mv-2291"})
    submit(page)
    assert page.locator(".flash-success").count() == 1
    log_out(page)
    assert live.engine.instance(iid).tasks == []                          # the venues have a day to confirm
    assert live.engine.fire_timers(datetime.now(timezone.utc) + timedelta(days=2)) == 1

    open_from_inbox(page, live, "amy", "Brief the account team")
    assert page.locator(".instructions-body h2").inner_text() == "福爾摩沙食品 Formosa Foods roadshow, 2026-12-14 to 2026-12-15"
    assert page.locator(".instructions-body li strong").inner_text() == "台中會議中心"
    assert "MV-2291" in page.locator(".instructions-body").inner_text()
    shot(page, "32-manual-task-brief")
    submit(page)
    view = live.engine.instance(iid)
    assert (view.status, view.data["booking"]["hotel"], view.data["level"]) == ("completed", "台中日月千禧酒店", "silver")
    assert [e.actor for e in view.history if e.kind == "completed"] == ["amy", "cat", "ken", "amy", "sue", "amy"]
