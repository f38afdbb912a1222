"""A whole model written the way spiff-arena writes one (tests/data/spiff_arena_style: the customer
roadshow, and the travel booking it calls, deployed on its own) runs here unmodified from start to
end: the initiator's start form, lanes reaching groups, a DMN table, a parallel multi-instance
task, a dynamic enum, the call, a timer and a manual task, scripts on spiff-arena's globals. Both
databases, and with every step on a fresh engine as if in another process."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from engine import ValidationFailed

from ..conftest import DATA

MODEL = DATA / "spiff_arena_style"
START = {"customer": "Formosa Foods", "cities_text": " Taipei, Taichung ,", "start_date": "2026-12-14",
         "budget": 600000}


def later(days: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(days=days)


def open_tasks(eng, iid, bpmn_id):
    return [t for t in eng.instance(iid).tasks if t.bpmn_id == bpmn_id]


@pytest.mark.across_processes
def test_a_spiff_arena_model_runs_unmodified_from_its_start_form_to_its_end(eng):
    assert [r["process_id"] for r in eng.deploy(MODEL / "called")] == ["travel_booking"]
    assert [r["process_id"] for r in eng.deploy(MODEL / "main")] == ["customer_roadshow"]
    for group, members in (("Marketing", ("cat", "cid")), ("Travel Desk", ("bob",))):
        eng.groups.create(group, "zed")
        for member in members:
            eng.groups.add_member(group, member, "zed")

    iid = eng.start("customer_roadshow", "amy", {})
    (describe,) = eng.tasks("amy")                                       # the initiator's start form
    assert (describe.bpmn_id, describe.kind, describe.assignee) == ("describe_roadshow", "user", "amy")
    assert eng.task(describe.id, "amy").ui_schema["ui:order"][0] == "customer"
    eng.complete(describe.id, "amy", START)
    data = eng.instance(iid).data
    assert (data["cities"], data["last_day"], data["first_weekday"]) == (["Taipei", "Taichung"], "2026-12-15", "Monday")
    assert (data["budget_per_city"], data["level"]) == ("300000.00", "silver")          # decimal, then the DMN
    assert json.loads(data["plan"]) == {"customer": "Formosa Foods", "cities": ["Taipei", "Taichung"],
                                        "from": "2026-12-14", "to": "2026-12-15"}

    quotes = open_tasks(eng, iid, "quote_venue")                         # one per city, to the Marketing group
    assert [(t.group, t.assignee) for t in quotes] == [("group:Marketing", None)] * 2
    assert sorted(t.id for t in eng.tasks("cat")) == sorted(t.id for t in eng.tasks("cid")) == sorted(t.id for t in quotes)
    assert eng.tasks("amy") == [] and eng.tasks("bob") == []
    by_city = {eng.task(t.id, "cat").data["city"]: t for t in quotes}
    eng.complete(by_city["Taichung"].id, "cid", {"venue_quote": {"venue": "Taichung Expo", "price": 180000}})
    eng.complete(by_city["Taipei"].id, "cat", {"venue_quote": {"venue": "TICC", "price": 250000}})
    data = eng.instance(iid).data
    assert data["venue_quotes"] == [{"venue": "Taichung Expo", "price": 180000},      # merged in the order done
                                    {"venue": "TICC", "price": 250000}]
    assert data["total_quoted"] == 430000

    (pick,) = eng.tasks("amy")                                           # a dynamic enum from the quotes
    assert eng.task(pick.id, "amy").form["properties"]["kickoff_venue"]["oneOf"] == [
        {"const": "Taichung Expo", "title": "Taichung Expo (180000 TWD)"}, {"const": "TICC", "title": "TICC (250000 TWD)"}]
    with pytest.raises(ValidationFailed) as caught:
        eng.complete(pick.id, "amy", {"kickoff_venue": "Kaohsiung Arena"})
    assert [e.path for e in caught.value.errors] == ["$.kickoff_venue"]
    eng.complete(pick.id, "amy", {"kickoff_venue": "TICC"})

    (book,) = open_tasks(eng, iid, "book_trip")                          # inside travel_booking, deployed apart
    assert (book.group, eng.tasks("bob")[0].id) == ("group:Travel Desk", book.id)
    assert [(c["process_id"], c["version"]) for c in eng.instance(iid).calls] == [("travel_booking", 1)]
    seen = eng.task(book.id, "bob")
    assert (seen.data["nights"], seen.data["check_out"], seen.form["title"]) == (2, "2026-12-16", "Hotel booking")
    eng.complete(book.id, "bob", {"hotel": "Millennium Vee", "booking_reference": " mv-2291 "})

    assert (eng.instance(iid).status, eng.instance(iid).tasks) == ("running", [])   # waiting on the timer
    assert eng.fire_timers(later(0.5)) == 0
    assert eng.fire_timers(later(2)) == 1
    (brief,) = eng.tasks("amy")
    assert (brief.bpmn_id, brief.kind) == ("brief_the_team", "manual")
    assert "Kick off at **{{ kickoff_venue }}**" in eng.task(brief.id, "amy").instructions
    eng.complete(brief.id, "amy", {})

    view = eng.instance(iid)
    assert (view.status, view.project_name) == ("completed", "Customer roadshow #1")
    assert view.data["booking"] == {"reference": "MV-2291", "hotel": "Millennium Vee", "nights": 2,
                                    "check_out": "2026-12-16"}                  # the called process's answer
    assert (view.data["kickoff_venue"], view.data["briefed"]) == ("TICC", True)
    assert [(e.kind, e.bpmn_id, e.actor) for e in view.history if e.kind in ("completed", "called", "timer")] == [
        ("completed", "describe_roadshow", "amy"), ("completed", "quote_venue", "cid"),
        ("completed", "quote_venue", "cat"), ("completed", "pick_kickoff", "amy"), ("called", "book_travel", None),
        ("completed", "book_trip", "bob"), ("timer", "wait_for_confirmations", None),
        ("completed", "brief_the_team", "amy")]
