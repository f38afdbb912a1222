"""The home page per role, beside the tasks: a rep sees her projects by step and the overdue work
among them; a manager her department's pipeline with its value and the reviews overdue on her
desk; a committee member the votes waiting for her, apart from her other tasks."""
from __future__ import annotations

from datetime import timedelta

from engine import demo

from .conftest import login, page_of


def _motion(client) -> tuple[dict[str, str], list[str]]:
    page = page_of(client.get("/"))
    steps = {" ".join(li.xpath("string(.)").split()[:-1]): li.xpath("string(span[@class='count'])")
             for li in page.xpath("//ul[@class='projects-by-step']/li")}
    return steps, [" ".join(li.xpath("string(.)").split()) for li in page.xpath("//ul[@class='overdue-work']/li")]


def _pipeline(client) -> list[list[str]]:
    page = page_of(client.get("/"))
    return [[td.xpath("string(.)").strip() for td in tr.xpath("td")]
            for tr in page.xpath("//table[contains(@class, 'department-pipeline')]/tbody/tr")]


def test_a_rep_sees_her_own_projects_by_step_and_a_manager_her_departments_pipeline_with_value(client, engine, app):
    demo.to_manager_review(engine, "amy", "北區專案")
    demo.to_manager_review(engine, "amy", "北區專案二")
    demo.to_manager_review(engine, "ray", "南區專案")
    login(client, "bob")                                    # the north manager: amy's two, not ray's
    assert _pipeline(client) == [["部門經理審核", "2", "5,000,000", "0"]]      # 2 x 2,500,000 TWD
    page = page_of(client.get("/"))
    assert page.xpath("string(//h2[@id='motion-heading'])") == "本部門專案進度"
    assert not page.xpath("//ul[@class='overdue-reviews']") and not page.xpath("//ul[@class='projects-by-step']")
    later = max(t.due for t in engine.tasks("bob")) + timedelta(hours=1)
    app.config["CLOCK"] = engine.ctx.clock = lambda: later   # the reviews are past due now
    login(client, "bob")
    page = page_of(client.get("/"))
    reviews = [" ".join(li.xpath("string(.)").split()) for li in page.xpath("//ul[@class='overdue-reviews']/li")]
    assert len(reviews) == 1 and reviews[0].startswith("部門經理審核 · 王大明 Bob Wang · 2 項任務 · 自 ")
    steps, overdue = _motion(client)
    assert overdue == reviews
    login(client, "ray")
    steps, _overdue = _motion(client)
    assert steps == {"部門經理審核": "1"} and _pipeline(client) == []   # a rep: her own project only, no values
    assert not page_of(client.get("/")).xpath("//ul[@class='overdue-reviews']")


def test_a_committee_member_sees_the_votes_waiting_for_her_apart_in_either_language(client, engine):
    iid = demo.to_committee(engine, "amy", "表決專案")
    login(client, "cat")
    page = page_of(client.get("/"))
    votes = [" ".join(li.xpath("string(.)").split()) for li in page.xpath("//ul[@class='votes-waiting-list']/li")]
    assert len(votes) == 1 and votes[0].startswith("表決專案") and "表決規則：三分之二多數決" in votes[0]
    task = next(t for t in engine.instance(iid).tasks if t.assignee == "cat")
    assert page.xpath("//ul[@class='votes-waiting-list']/li/a/@href") == [f"/tasks/{task.id}"]
    client.post("/language", data={"lang": "en", "next": "/"})
    page = page_of(client.get("/"))
    assert page.xpath("string(//h2[@id='votes-heading'])") == "Votes waiting for you"
    assert "Voting rule: Two-thirds majority" in page.xpath("string(//ul[@class='votes-waiting-list'])")
    engine.complete(task.id, "cat", demo.answer("committee_vote"))
    assert not page_of(client.get("/")).xpath("//ul[@class='votes-waiting-list']")    # voted: no longer waiting
    login(client, "amy")
    assert not page_of(client.get("/")).xpath("//section[contains(@class, 'votes-waiting')]")


def test_a_managers_home_reads_the_overdue_work_once_for_both_lists_that_show_it(client, engine, monkeypatch):
    demo.to_manager_review(engine, "amy", "Overdue soon")
    asked = []
    report = engine.reports.overdue_groups
    monkeypatch.setattr(engine.reports, "overdue_groups", lambda *args, **kw: asked.append(args) or report(*args, **kw))
    login(client, "bob")
    assert client.get("/").status_code == 200
    assert asked == [("bob",)]
