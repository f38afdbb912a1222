"""After each step the page says where the work went, the next form opens in the process's
order, and returned work looks returned in the rep's inbox."""
from __future__ import annotations

from engine import demo
from webui.common.formdata import flatten

from .conftest import login, open_task, page_of, start_project

INFORMATION = ["customer_info", "competitor_info", "project_info", "decision_makers", "decision_participants",
               "proposal"]


def _complete(client, engine, task_id: str, user: str, decision: str = "approve"):
    task = engine.task(task_id, user)
    return client.post(f"/tasks/{task_id}", data=flatten(task.form, demo.answer(task.bpmn_id, "amy", decision)))


def _flash(client) -> str:
    return " ".join(page_of(client.get("/")).xpath("string(//div[contains(@class,'flashes')])").split())


def test_each_information_form_leads_to_the_next_in_order_and_the_proposal_goes_to_the_manager(client, engine):
    login(client, "amy")
    iid = start_project(client)
    chips = page_of(client.get("/")).xpath("//ul[@class='step-counts']//a/text()")
    assert [c.strip() for c in chips] == ["客戶資訊表", "競爭對手資訊表", "專案資訊表", "專案決策人資訊表",
                                          "專案決策人參與人資訊表"]
    task_id, done = open_task(engine, iid, "customer_info").id, []
    while True:
        done.append(engine.task(task_id, "amy").bpmn_id)
        response = _complete(client, engine, task_id, "amy")
        if not response.location.startswith("/tasks/"):
            break
        task_id = response.location.rsplit("/", 1)[-1]
    assert done == INFORMATION
    assert "已完成：「專案建議書」。 已送交 王大明 Bob Wang 審核。" in _flash(client)


def test_a_return_says_who_revises_and_the_rep_sees_it_marked_with_the_reason(client, engine):
    iid = demo.to_manager_review(engine, "amy", "專案甲")
    login(client, "bob")
    _complete(client, engine, open_task(engine, iid, "manager_review").id, "bob", "return")
    assert "已退回 林雅美 Amy Lin 修改。" in _flash(client)
    login(client, "amy")
    row = page_of(client.get("/")).xpath("//table[contains(@class,'task-table')]//tr[td]")[0]
    badge = row.xpath(".//span[contains(@class,'badge-return')]")[0]
    assert badge.text == "已退回" and "請補充預算核准流程" in badge.get("title")
    assert "請補充預算核准流程" in row.xpath("string(.//span[@class='muted return-reason'])")
    _complete(client, engine, open_task(engine, iid, "proposal").id, "amy")
    login(client, "bob")                  # the resubmitted review is not marked returned
    assert not page_of(client.get("/")).xpath("//span[contains(@class,'badge-return')]")


def test_a_committee_vote_says_who_is_still_to_vote(client, engine):
    iid = demo.to_committee(engine, "amy", "專案乙")
    login(client, "cat")
    vote = next(t for t in engine.instance(iid).tasks if t.assignee == "cat")
    _complete(client, engine, vote.id, "cat")
    said = _flash(client)                  # the two votes were opened together: either order
    assert "尚待 蔡文雄 Colin Tsai和吳建宏 Ken Wu 完成。" in said or "尚待 吳建宏 Ken Wu和蔡文雄 Colin Tsai 完成。" in said
