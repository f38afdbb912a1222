"""One word for where a project stands, with the same colour in the list, on its page and in
its timeline: an established project reads 已成立 (not 已結束 + 已成立), a withdrawn one 已撤回."""
from __future__ import annotations

from engine import demo

from .conftest import login, page_of, start_project


def _badges(response, where: str) -> list[tuple[str, str]]:
    return [(b.text_content(), b.get("class")) for b in page_of(response).xpath(f"{where}//span[contains(@class,'badge-')]")]


def test_an_established_project_reads_established_alone_everywhere(client, engine):
    iid = _established(engine)
    login(client, "amy")
    page = client.get(f"/projects/{iid}")
    assert _badges(page, "//p[@class='meta']") == [("已成立", "badge badge-standing badge-established")]
    assert ("專案已成立", "badge badge-established") in _badges(page, "//ol[@class='timeline']")
    listed = _badges(client.get("/projects/"), "//table")
    assert ("已成立", "badge badge-standing badge-established") in listed
    assert all(text != "已結束" for text, _ in listed)


def test_a_withdrawn_project_reads_withdrawn_in_grey_not_ended_in_green(client, engine):
    login(client, "amy")
    iid = start_project(client)
    client.post(f"/projects/{iid}/withdraw", data={"reason": "客戶延後採購"})
    page = client.get(f"/projects/{iid}")
    assert _badges(page, "//p[@class='meta']") == [("已撤回", "badge badge-standing badge-withdrawn")]
    assert ("已撤回", "badge badge-standing badge-withdrawn") in _badges(client.get("/projects/"), "//table")


def test_a_running_project_reads_in_progress(client, engine):
    login(client, "amy")
    start_project(client)
    assert _badges(client.get("/projects/"), "//table") == [("進行中", "badge badge-standing badge-in_progress")]


def _established(engine) -> str:
    iid = demo.to_committee(engine, "amy", "國泰銀行核心系統")
    demo.complete_open(engine, iid, "committee_vote")
    demo.complete_open(engine, iid, "authorisation")
    return iid
