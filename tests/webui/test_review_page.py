"""A review page leads with the proposal, then a one-screen decision brief, then the form."""
from __future__ import annotations

from engine import demo

from .conftest import login, open_task, page_of


def test_the_review_page_reads_proposal_then_brief_then_form(client, engine):
    iid = demo.to_manager_review(engine, "amy", "台北捷運票務")
    login(client, "bob")
    page = page_of(client.get(f"/tasks/{open_task(engine, iid, 'manager_review').id}"))
    main = page.xpath("//section[@class='task-main']")[0]
    order = [el.get("class") for el in main.xpath("./section | ./form")]
    assert order[:2] == ["review-lead", "decision-brief"] and order[-1].startswith("task-form")
    assert "Cloud ticketing back office" in main.xpath("string(section[@class='review-lead'])")
    brief = main.xpath("section[@class='decision-brief']")[0]
    facts = {dt.text_content(): dd.text_content() for dt, dd in zip(brief.xpath(".//dt"), brief.xpath(".//dd"))}
    assert facts["大客戶類型"] == "全國性" and facts["預期營收"] == "2,500,000 TWD"
    assert facts["銷售額或銷售潛力"] == "5 / 5" and facts["競爭對手"] == "Acme Systems"
    assert facts["尚未記錄關係階段"] == "Director Lin、Ms. Chen"          # the ledger knows no activity yet


def test_the_brief_shows_each_decision_makers_stage_from_the_ledger_today(client, engine):
    iid = demo.to_manager_review(engine, "amy", "台北捷運票務")
    lin = next(p for p in engine.ledger.coverage(iid, "amy").people if p.name == "Director Lin")
    engine.ledger.record_activity(lin.contact_id, "amy", {"kind": "technical_exchange", "notes": "技術交流",
                                                  "occurred_on": "2026-11-02"})
    login(client, "bob")
    page = page_of(client.get(f"/tasks/{open_task(engine, iid, 'manager_review').id}"))
    stages = page.xpath("//dl[@class='brief-stages']/div")
    assert [(d.xpath("string(dt)"), d.xpath("string(dd)")) for d in stages] == \
        [("約會（邀約互動）", "Director Lin"), ("尚未記錄關係階段", "Ms. Chen")]


def test_what_changed_since_the_return_is_in_the_brief_column(client, engine):
    iid = demo.to_manager_review(engine, "amy", "台北捷運票務")
    demo.complete_open(engine, iid, "manager_review", "return")
    revised = {**demo.answer("proposal")["proposal"], "summary": "改為雲端票務後台"}
    demo.complete_open(engine, iid, "proposal", proposal=revised)
    login(client, "bob")
    page = page_of(client.get(f"/tasks/{open_task(engine, iid, 'manager_review').id}"))
    assert "改為雲端票務後台" in page.xpath("string(//section[@class='task-main']/section[contains(@class,'changes')])")
