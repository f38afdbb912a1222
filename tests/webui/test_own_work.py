"""Each role sees its own work: reviewers find the projects they reviewed or voted on, and
only those who may start a project are offered to start one."""
from __future__ import annotations

from engine import demo

from .conftest import login, page_of


def _links(response) -> list[str]:
    return [a.text_content() for a in page_of(response).xpath("//a[@href='/projects/new']")]


def test_a_manager_and_a_committee_member_find_the_projects_they_reviewed(client, engine):
    reviewed = demo.to_committee(engine, "amy", "國泰銀行核心系統")
    cat_vote = next(t for t in engine.instance(reviewed).tasks if t.assignee == "cat")
    engine.complete(cat_vote.id, "cat", demo.answer("committee_vote", "amy"))
    demo.to_manager_review(engine, "amy", "尚未審核的專案")
    for user in ("bob", "cat"):
        login(client, user)
        page = page_of(client.get("/projects/"))
        assert page.xpath("string(//h2[@id='reviewed'])") == "我審核過的專案"
        assert [a.text for a in page.xpath("//h2[@id='reviewed']/following-sibling::table//td[1]/a[1]")] == \
            ["國泰銀行核心系統"], user
    login(client, "ken")                          # has not voted yet
    assert not page_of(client.get("/projects/")).xpath("//h2[@id='reviewed']")


def test_only_those_in_the_starting_lane_are_offered_to_start_a_project(client, engine):
    login(client, "amy")
    assert _links(client.get("/")) and _links(client.get("/projects/"))
    for user in ("bob", "cat", "col"):
        login(client, user)
        assert _links(client.get("/")) == [] and _links(client.get("/projects/")) == [], user
    assert engine.may_start(demo.PROCESS, "amy") and not engine.may_start(demo.PROCESS, "bob")
