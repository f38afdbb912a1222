"""The spiff-arena-style model (tests/data/spiff_arena_style) worked over /api/v1 only, each person
with a personal access token of their own: start it, list my tasks, read each with its form,
complete it, and read the instance with its history. Both databases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ...conftest import DATA
from .conftest import problem_of

MODEL = DATA / "spiff_arena_style"


def my_only_task(caller, bpmn_id: str) -> dict:
    """The caller's one open task of the roadshow, read with its form."""
    (listed,) = [t for t in caller.get("/tasks").get_json()["items"] if t["bpmn_id"] == bpmn_id]
    body = caller.get(f"/tasks/{listed['id']}").get_json()
    assert body["id"] == listed["id"] and body["state"] == "open"
    return body


def done(caller, task: dict, data: dict | None = None) -> list[str]:
    response = caller.post(f"/tasks/{task['id']}/complete", json={"data": data or {}}, key=f"done-{task['id']}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [t["bpmn_id"] for t in response.get_json()["next_tasks"]]


def test_a_spiff_arena_model_is_started_and_worked_to_its_end_over_the_api_with_tokens(engine, as_user):
    engine.deploy(MODEL / "called")
    engine.deploy(MODEL / "main")
    for group, members in (("Marketing", ("cat", "ken")), ("Travel Desk", ("sue",))):
        engine.groups.create(group, "zoe")
        for member in members:
            engine.groups.add_member(group, member, "zoe")
    amy, cat, ken, sue = (as_user(name) for name in ("amy", "cat", "ken", "sue"))

    listed = {p["id"]: p for p in amy.get("/processes").get_json()["items"]}
    assert listed["customer_roadshow"]["startable"] is True
    started = amy.post("/processes/customer_roadshow/instances", json={"data": {}}, key="roadshow-1")
    assert started.status_code == 201
    iid = started.get_json()["id"]

    describe = my_only_task(amy, "describe_roadshow")
    assert describe["kind"] == "user" and describe["assignee"] == "amy"
    assert describe["form"]["schema"]["required"] == ["customer", "cities_text", "budget", "start_date"]
    assert describe["form"]["ui_schema"]["ui:order"][0] == "customer"
    refused = problem_of(amy.post(f"/tasks/{describe['id']}/complete", json={"data": {"budget": -1}}), 422)
    assert {e["pointer"] for e in refused["errors"]} == {"/data/customer", "/data/cities_text", "/data/start_date",
                                                         "/data/budget"}
    assert done(amy, describe, {"customer": "Formosa Foods", "cities_text": "Taipei, Taichung",
                                "start_date": "2026-12-14", "budget": 600000}) == []   # on to the Marketing group

    quotes = cat.get("/tasks?step=quote_venue").get_json()["items"]
    assert [(t["group"], t["assignee"]) for t in quotes] == [("group:Marketing", None)] * 2
    assert {t["id"] for t in ken.get("/tasks?step=quote_venue").get_json()["items"]} == {t["id"] for t in quotes}
    first = cat.get(f"/tasks/{quotes[0]['id']}").get_json()
    assert "Find a venue in **{{ city }}**" in first["instructions"]
    assert cat.post(f"/tasks/{first['id']}/claim").get_json()["assignee"] == "cat"
    assert done(cat, first, {"venue_quote": {"venue": "TICC", "price": 250000}}) == ["quote_venue"]   # the other city
    assert done(ken, ken.get(f"/tasks/{quotes[1]['id']}").get_json(),
                {"venue_quote": {"venue": "Taichung Expo", "price": 180000}}) == []

    pick = my_only_task(amy, "pick_kickoff")
    assert pick["form"]["schema"]["properties"]["kickoff_venue"]["oneOf"] == [
        {"const": "TICC", "title": "TICC (250000 TWD)"}, {"const": "Taichung Expo", "title": "Taichung Expo (180000 TWD)"}]
    assert done(amy, pick, {"kickoff_venue": "Taichung Expo"}) == []

    book = my_only_task(sue, "book_trip")                        # inside the called process, deployed apart
    assert (book["group"], book["form"]["schema"]["title"]) == ("group:Travel Desk", "Hotel booking")
    assert done(sue, book, {"hotel": "Millennium Vee", "booking_reference": "mv-2291"}) == []

    waiting = amy.get(f"/instances/{iid}").get_json()
    assert (waiting["status"], waiting["open_tasks"], waiting["next_timer_at"] is not None) == ("running", [], True)
    assert engine.fire_timers(datetime.now(timezone.utc) + timedelta(days=2)) == 1
    assert done(amy, my_only_task(amy, "brief_the_team")) == []

    body = amy.get(f"/instances/{iid}").get_json()
    assert (body["status"], body["name"], body["process_id"]) == ("completed", "Customer roadshow #1", "customer_roadshow")
    assert (body["data"]["level"], body["data"]["total_quoted"], body["data"]["booking"]["reference"]) == \
        ("silver", 430000, "MV-2291")
    assert [(e["bpmn_id"], e["actor"]) for e in body["history"] if e["kind"] == "completed"] == [
        ("describe_roadshow", "amy"), ("quote_venue", "cat"), ("quote_venue", "ken"), ("pick_kickoff", "amy"),
        ("book_trip", "sue"), ("brief_the_team", "amy")]
    assert [e["kind"] for e in body["history"] if e["kind"] in ("called", "timer")] == ["called", "timer"]
