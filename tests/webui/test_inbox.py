"""The inbox: my tasks and my groups' unclaimed ones, filters, counts, pages, claim and unclaim."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from engine import demo

from .conftest import login, page_of, start_project, text_of


def rows(response) -> list:
    return page_of(response).xpath("//table[contains(@class,'task-table')]/tbody/tr")


def test_the_rep_sees_the_five_information_tasks_of_a_new_project(client):
    login(client, "amy")
    start_project(client)
    assert len(rows(client.get("/"))) == 5


def test_the_inbox_counts_tasks_per_step_and_filters_by_step(client):
    login(client, "amy")
    start_project(client, "One")
    start_project(client, "Two")
    everything = client.get("/")
    counts = [c.text_content() for c in page_of(everything).xpath("//ul[@class='step-counts']//span[@class='count']")]
    assert counts == ["2"] * 5
    assert len(rows(client.get("/?step=customer_info"))) == 2


def test_the_inbox_filters_by_project_text(client):
    login(client, "amy")
    start_project(client, "Taipei Metro")
    start_project(client, "Kaohsiung Port")
    found = client.get("/?q=metro")
    assert len(rows(found)) == 5 and "Kaohsiung" not in text_of(found)


def link(response, rel: str) -> str | None:
    found = page_of(response).xpath(f"//nav[@class='pager']//a[@rel='{rel}']/@href")
    return found[0] if found else None


def test_the_inbox_shows_twenty_tasks_a_page_with_next_and_previous_links(client):
    login(client, "amy")
    for n in range(5):
        start_project(client, f"Project {n}")
    first = client.get("/")
    assert len(rows(first)) == 20 and link(first, "prev") is None and "cursor=" in link(first, "next")
    second = client.get(link(first, "next"))
    assert len(rows(second)) == 5 and link(second, "next") is None
    back = client.get(link(second, "prev"))
    assert [r.text_content() for r in rows(back)] == [r.text_content() for r in rows(first)]
    assert link(back, "prev") is None and link(back, "next") == link(first, "next")


def test_the_pager_keeps_the_filters(client):
    login(client, "amy")
    for n in range(5):
        start_project(client, f"Project {n}")
    start_project(client, "Elsewhere")
    first = client.get("/?q=Project")
    assert "q=Project" in link(first, "next")
    assert len(rows(client.get(link(first, "next")))) == 5            # 25 tasks match, 30 are open


def test_a_cursor_that_is_not_the_inboxs_shows_the_first_page_with_a_note(client):
    login(client, "amy")
    start_project(client)
    response = client.get("/?cursor=not-a-cursor")
    assert response.status_code == 422 and len(rows(response)) == 5
    assert page_of(response).xpath("//p[@role='alert']")


def test_overdue_tasks_are_marked(client, app, engine):
    iid = demo.to_manager_review(engine, "amy", "Late review")
    due = engine.instance(iid).tasks[0].due
    app.config["CLOCK"] = lambda: due + timedelta(hours=1)
    login(client, "bob")
    late = page_of(client.get("/")).xpath("//tr[@class='overdue']")
    assert len(late) == 1 and late[0].xpath(".//span[contains(@class,'badge-overdue')]")
    app.config["CLOCK"] = lambda: due - timedelta(hours=1)
    assert page_of(client.get("/")).xpath("//tr[@class='overdue']") == []


def test_a_group_task_can_be_claimed_and_handed_back(client, engine):
    engine.add_user("max", groups=["manager"], department="north", password=demo.PASSWORD, display_name="Max")
    iid = demo.to_manager_review(engine, "amy", "Two managers")
    task = engine.instance(iid).tasks[0]
    assert task.assignee is None and task.group == "manager:north"
    login(client, "bob")
    assert page_of(client.get("/")).xpath(f"//form[@action='/tasks/{task.id}/claim']")
    assert client.post(f"/tasks/{task.id}/claim").status_code == 302
    assert engine.instance(iid).tasks[0].assignee == "bob"
    assert page_of(client.get("/")).xpath(f"//form[@action='/tasks/{task.id}/unclaim']")
    client.post(f"/tasks/{task.id}/unclaim")
    assert engine.instance(iid).tasks[0].assignee is None


def test_a_task_claimed_by_someone_else_leaves_my_inbox(client, engine):
    engine.add_user("max", groups=["manager"], department="north", password=demo.PASSWORD)
    iid = demo.to_manager_review(engine, "amy", "Taken")
    engine.claim(engine.instance(iid).tasks[0].id, "max")
    login(client, "bob")
    assert rows(client.get("/")) == []


def test_the_inbox_finds_projects_by_account_name_and_shows_it(client, engine):
    login(client, "amy")
    metro = start_project(client, "Ticketing")
    start_project(client, "Harbour cranes")
    demo.complete_open(engine, metro, "customer_info")        # names the account: 台北捷運公司 Taipei Metro
    found = client.get("/?q=捷運公司")
    assert len(rows(found)) == 4 and "Harbour" not in text_of(found)
    assert "台北捷運公司 Taipei Metro" in rows(found)[0].text_content()


def test_the_inbox_page_reads_the_same_few_statements_however_many_tasks_and_never_workflow_state(client, engine):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    login(client, "amy")
    returned = demo.to_manager_review(engine, "amy", "Sent back")
    demo.complete_open(engine, returned, "manager_review", decision="return")      # one task marked returned
    start_project(client, "One")

    def read_inbox() -> int:
        statements.clear()
        event.listen(engine.db, "before_cursor_execute", count)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(engine.db, "before_cursor_execute", count)
        assert not [s for s in statements if "instances.workflow" in s]
        return len(statements)
    read_inbox()                                              # caches filled (process models, catalog)
    few = read_inbox()
    for n in range(4):
        demo.complete_open(engine, demo.to_manager_review(engine, "amy", f"Back {n}"), "manager_review",
                           decision="return")
        start_project(client, f"Project {n}")
    assert read_inbox() == few
