"""Projects: start, list, the project page with diagram and timeline, withdraw, authorisation."""
from __future__ import annotations

from engine import demo
from engine.naming import NAME_LENGTH

from .conftest import login, page_of, start_project, text_of


def established(engine) -> str:
    iid = demo.to_committee(engine, "amy", "國泰銀行核心系統 Cathay core banking")
    demo.complete_open(engine, iid, "committee_vote")
    demo.complete_open(engine, iid, "authorisation")
    return iid


def test_a_new_project_needs_a_name(client, engine):
    login(client, "amy")
    response = client.post("/projects/new", data={"project_name": "  "})
    assert response.status_code == 422
    assert page_of(response).xpath("//*[@id='error-summary']//a[@href='#field-project_name']")
    assert engine.instances(owner="amy") == []


def test_the_new_project_page_is_the_processes_start_form_and_allows_what_the_column_holds(client, engine):
    login(client, "amy")
    page = page_of(client.get("/projects/new"))
    assert page.xpath("string(//h1)") == "啟動新專案"
    assert page.xpath("//input[@id='field-project_name']/@maxlength") == [str(NAME_LENGTH)]
    too_long = "長" * (NAME_LENGTH + 1)
    response = client.post("/projects/new", data={"project_name": too_long})
    assert response.status_code == 422
    assert page_of(response).xpath("string(//input[@id='field-project_name']/@value)") == too_long
    assert engine.instances(owner="amy") == []
    iid = start_project(client, "長" * NAME_LENGTH)
    assert engine.instance(iid).project_name == "長" * NAME_LENGTH


def test_my_projects_lists_only_mine_with_where_each_stands(client, engine):
    engine.start(demo.PROCESS, "ray", {"project_name": "Ray's own"})
    login(client, "amy")
    start_project(client, "Amy's own")
    text = text_of(client.get("/projects/"))
    assert "Amy's own" in text and "Ray's own" not in text
    assert "客戶資訊表" in text                           # where it stands, in the default language


def test_the_project_page_highlights_done_and_open_steps_in_the_diagram(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Diagram")
    login(client, "amy")
    page = page_of(client.get(f"/projects/{iid}"))
    svg = page.xpath("//figure[@class='diagram']/*[local-name()='svg']")[0]
    states = {g.get("data-element-id") or g.get("id"): g.get("class") for g in svg.iter() if g.get("class")}
    classes = " ".join(v for v in states.values() if v)
    assert "completed" in classes and "current" in classes


def test_an_established_project_says_so_and_prints_its_authorisation(client, engine):
    iid = established(engine)
    login(client, "amy")
    text = text_of(client.get(f"/projects/{iid}"))
    assert "已成立" in text
    record = client.get(f"/projects/{iid}/authorisation")
    assert record.status_code == 200
    body = text_of(record)
    assert "Stage 2: solution design and tender" in body and "300,000 TWD" in body
    assert "王大明 Bob Wang" in body and "黃美玲 Cathy Huang" in body and "蔡文雄 Colin Tsai" in body


def test_a_project_not_established_has_no_authorisation_record(client, engine):
    login(client, "amy")
    iid = start_project(client)
    assert client.get(f"/projects/{iid}/authorisation").status_code == 404


def test_the_timeline_shows_who_returned_the_proposal_and_why(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Timeline")
    demo.complete_open(engine, iid, "manager_review", "return")
    login(client, "amy")
    text = text_of(client.get(f"/projects/{iid}"))
    assert "王大明 Bob Wang" in text and "請補充預算核准流程" in text and "資訊不完整" in text


def test_another_rep_may_not_see_a_project_but_its_manager_may(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Private")
    login(client, "ray")
    assert client.get(f"/projects/{iid}").status_code == 403
    client.post("/logout")
    login(client, "bob")
    assert client.get(f"/projects/{iid}").status_code == 200


def test_an_unknown_project_is_404(client):
    login(client, "amy")
    assert client.get("/projects/no-such-project").status_code == 404


def test_the_owner_withdraws_after_confirming(client, engine):
    login(client, "amy")
    iid = start_project(client)
    confirm = client.get(f"/projects/{iid}/withdraw")
    assert confirm.status_code == 200 and page_of(confirm).xpath("//form[@method='post']//textarea[@name='reason']")
    response = client.post(f"/projects/{iid}/withdraw", data={"reason": "Customer postponed"})
    assert response.status_code == 302
    view = engine.instance(iid)
    assert view.outcome == "withdrawn" and view.tasks == []


def test_only_the_owner_may_withdraw(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Not yours")
    login(client, "bob")
    assert client.post(f"/projects/{iid}/withdraw", data={}).status_code == 403
    assert engine.instance(iid).status == "running"


def test_the_manager_an_escalation_reaches_can_open_the_project_it_is_about(client, engine):
    """The issue's case: ray's project, escalated from sue's review, reaches dan."""
    from datetime import datetime, timedelta, timezone
    iid = demo.to_manager_review(engine, "ray", "高雄港自動化 Kaohsiung port automation")
    engine.fire_timers(datetime.now(timezone.utc) + timedelta(days=8))
    escalation, = [e for e in engine.instance(iid).history if e.kind == "escalation"]
    assert escalation.data["notified"] == ["dan"]
    login(client, "dan")
    assert client.get(f"/projects/{iid}").status_code == 200
    client.post("/logout")
    login(client, "bob")                                  # another department's manager
    assert client.get(f"/projects/{iid}").status_code == 403
