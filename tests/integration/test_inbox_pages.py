"""The inbox paged by key on both databases: forwards and back across equal due dates, a deep
page reached by its key (no OFFSET), counts per step equal to the rows, search as typed, nobody
offered their own project's review, and no list statement reading workflow state. What a page
costs the database: two SELECTs in one read transaction, each compiled once by SQLite."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine import ValidationFailed
from engine.db.schema import Instance, Task

from ..conftest import DATA, sqlite_path
from ..sqlite_prepares import prepared_again
from ..statements import counted, sent

DUE = datetime(2026, 12, 24, 9, 0, tzinfo=timezone.utc)


def start_reviews(eng, owner: str, names: list[str]) -> list[str]:
    """Instances of the review loop at their review (a manager's task, or north's managers' pool)."""
    made = []
    for name in names:
        iid = eng.start("review_loop", owner, {"project_name": name})
        (draft,) = [t for t in eng.instance(iid).tasks if t.bpmn_id == "draft"]
        eng.complete(draft.id, owner, {"draft": {"text": name}})
        made.append(iid)
    return made


@pytest.fixture
def pool(loop_eng):
    """bob's inbox: 3 drafts of his own, and 25 reviews in north's managers' pool (three
    managers: nobody reviews alone), most sharing one of three due dates, some with none; one
    of them is max's own project (max may not review it); a suspended instance's is held."""
    for name in ("max", "mia"):
        loop_eng.add_user(name, groups=["manager"], department="north", reports_to="dan")
    start_reviews(loop_eng, "amy", [f"Metro {n:02d}" for n in range(12)])
    start_reviews(loop_eng, "ann", [f"港口 Harbour_{n:02d} 100%" for n in range(12)])
    own_project = start_reviews(loop_eng, "max", ["Max's own"])[0]
    held = start_reviews(loop_eng, "amy", ["Held"])[0]
    loop_eng.suspend(held, "zed", "audit")
    for n in range(3):
        loop_eng.start("review_loop", "bob", {"project_name": f"Bob's draft {n}"})
    with loop_eng.ctx.uow() as uow:
        rows = uow.session.scalars(select(Task).where(Task.state == "open").order_by(Task.id)).all()
        for i, row in enumerate(rows):                  # ties on the due date, and some without one
            row.due_at = None if i % 7 == 0 else DUE + timedelta(days=i % 3)
    return {"own_project": own_project, "held": held}


def expected(eng, user: str) -> list[str]:
    """bob's open tasks sorted in Python (not by the query under test): due date, no date
    last, then creation time, then id."""
    person = eng.user(user)
    groups = {f"manager:{person.department}"} if "manager" in person.groups else set()
    groups |= {f"group:{g}" for g in person.groups}
    with eng.ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(Task.id, Task.due_at, Task.created_at, Task.assignee, Task.candidate_group,
                                          Task.excluded_user).join(Instance, Instance.id == Task.instance_id)
                                   .where(Task.state == "open", Instance.status == "running")).all()
    mine = [r for r in rows if r.excluded_user != user and (
        r.assignee == user or r.assignee is None and r.candidate_group in groups)]
    far = datetime.max.replace(tzinfo=timezone.utc)
    return [r.id for r in sorted(mine, key=lambda r: (r.due_at is None, r.due_at or far, r.created_at, r.id))]


def offsets(statement: str, values) -> list:
    """The value of each OFFSET in a statement (SQLite's dialect writes `OFFSET 0` after any LIMIT)."""
    found = []
    for match in re.finditer(r"OFFSET (\?|%\((\w+)\)s)", statement):
        found.append(values[match.group(2)] if match.group(2) else values[statement[:match.start()].count("?")])
    return found


def test_the_inbox_pages_forwards_and_back_across_equal_due_dates_and_deep_pages_by_key(loop_eng, pool):
    wanted = expected(loop_eng, "bob")
    assert len(wanted) == 28
    pages, cursor = [], None
    while True:
        found = loop_eng.lists.inbox("bob", cursor=cursor, size=5)
        pages.append(found)
        if not found.next:
            break
        cursor = found.next
    assert [t.id for p in pages for t in p.tasks] == wanted and len(pages) == 6
    assert pages[0].previous is None and all(p.previous for p in pages[1:])
    back, cursor = [], pages[-1].previous
    while cursor:
        found = loop_eng.lists.inbox("bob", cursor=cursor, size=5)
        back.insert(0, found)
        cursor = found.previous
    assert [[t.id for t in p.tasks] for p in back] == [[t.id for t in p.tasks] for p in pages[:-1]]
    # a deep page is read by its key, without an offset
    cursor = None
    for _ in range(4):
        cursor = loop_eng.lists.inbox("bob", cursor=cursor, size=5).next
    with sent(loop_eng.db) as seen:
        fifth = loop_eng.lists.inbox("bob", cursor=cursor, size=5)
    assert [t.id for t in fifth.tasks] == wanted[20:25]
    assert [offset for statement, values in seen for offset in offsets(statement, values) if offset] == []
    with sent(loop_eng.db) as seen:                     # the older way agrees
        assert [t.id for t in loop_eng.tasks("bob", limit=5, offset=20)] == wanted[20:25]
    assert 20 in [offset for statement, values in seen for offset in offsets(statement, values)]


def test_the_counts_per_step_equal_the_rows_leave_out_held_instances_and_own_projects(loop_eng, pool):
    everything = loop_eng.tasks("bob")
    found = loop_eng.lists.inbox("bob")
    assert {s.bpmn_id: s.tasks for s in found.steps} == dict(Counter(t.bpmn_id for t in everything))
    assert found.total == len(everything) == 28
    assert {s.bpmn_id: s.name for s in found.steps} == {"draft": "Write the draft", "review": "Review the draft"}
    assert pool["held"] not in {t.instance_id for t in everything}
    reviews = loop_eng.lists.inbox("bob", step="review", size=100)
    assert reviews.total == 25 == len(reviews.tasks) and {t.bpmn_id for t in reviews.tasks} == {"review"}
    # nobody is offered the review of their own project
    own = pool["own_project"]
    assert own not in {t.instance_id for t in loop_eng.tasks("max")}
    assert own not in {t.instance_id for t in loop_eng.lists.inbox("max", size=100).tasks}
    assert sum(s.tasks for s in loop_eng.lists.inbox("max").steps) == 24
    assert own in {t.instance_id for t in loop_eng.tasks("bob")}


def test_search_finds_names_as_typed_in_pages_and_counts(loop_eng, pool):
    hits = loop_eng.lists.inbox("bob", search="harbour_0", size=5)
    assert hits.total == 10 and len(hits.tasks) == 5 and hits.next
    rest = loop_eng.lists.inbox("bob", search="harbour_0", cursor=hits.next, size=5)
    assert {t.project_name for t in hits.tasks + rest.tasks} == {f"港口 Harbour_0{n} 100%" for n in range(10)}
    assert loop_eng.lists.inbox("bob", search="100%").total == 12
    for miss in ("Harbour%1", "Metro_0_", "nothing"):           # % and _ are text, not wildcards
        assert loop_eng.lists.inbox("bob", search=miss).tasks == []
    assert loop_eng.lists.inbox("bob", search="港口").total == 12


def offered_by_name(eng, recipients: list[str]) -> list[str]:
    """Gift checks whose last step is offered to cat and col by name, one per recipient."""
    eng.deploy(DATA / "lanes_to_groups")
    eng.groups.create("compliance", "zed")
    eng.groups.add_member("compliance", "cid", "zed")
    for recipient in recipients:
        eng.start("gift_check", "amy")
        eng.complete(eng.tasks("amy")[0].id, "amy", {"gift": {"recipient": recipient, "value": 500}})
        eng.complete(eng.tasks("cid")[0].id, "cid", {"verdict": "approve"})
    return [t.id for t in eng.tasks("cat")]


def test_tasks_offered_by_name_are_paged_and_counted_with_the_rest(loop_eng):
    offered_by_name(loop_eng, ["Mr. Wu"])
    (named,) = loop_eng.tasks("cat")
    assert loop_eng.lists.inbox("cat").tasks == [named] and loop_eng.lists.inbox("cat").total == 1
    assert [t.id for t in loop_eng.lists.inbox("col").tasks] == [named.id]


def test_a_cursor_of_another_shape_is_refused_naming_it(loop_eng):
    for bad in ("x", "WyJ6IixbXV0", "e30", "W10"):
        with pytest.raises(ValidationFailed) as caught:
            loop_eng.lists.inbox("bob", cursor=bad)
        assert [e.path for e in caught.value.errors] == ["$.cursor"]


def test_no_list_statement_reads_workflow_state_and_nobody_has_an_empty_inbox(loop_eng, pool):
    with sent(loop_eng.db) as seen:
        loop_eng.lists.inbox("bob")
        loop_eng.lists.inbox("amy", search="Metro")
        loop_eng.lists.tasks("bob", size=5, offset=5)
        loop_eng.tasks("bob")
    assert seen and not [s for s, _values in seen if "instances.workflow" in s]
    assert loop_eng.lists.inbox("nobody").tasks == [] and loop_eng.lists.tasks("nobody").items == []
    loop_eng.add_user("mia", groups=["manager"], department="north", reports_to="dan", active=False)
    assert loop_eng.lists.inbox("mia").tasks == [] and loop_eng.lists.inbox("mia").steps == []


def test_a_page_is_two_selects_in_one_read_transaction_with_every_offer_by_name(loop_eng, pool):
    named = offered_by_name(loop_eng, ["Mr. Wu", "Ms. Lin", "Dr. Ho"])
    assert len(named) == 3
    with counted(loop_eng.db) as seen:
        page = loop_eng.lists.tasks("cat")
    assert sorted(t.id for t in page.items) == sorted(named)
    # BEGIN, the person with their offers by name, the page, ROLLBACK
    assert seen.transactions == 1 and seen.total == 4 and seen.count("SELECT") == 2, seen.report()
    with counted(loop_eng.db) as seen:
        page = loop_eng.lists.tasks("bob", size=5)
    assert [t.id for t in page.items] == expected(loop_eng, "bob")[:5]
    assert seen.transactions == 1 and seen.total == 4, seen.report()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)      # SQLite's own count of recompiles
def test_sqlite_compiles_each_inbox_statement_once_whatever_its_values(loop_eng, pool):
    offered_by_name(loop_eng, ["Mr. Wu"])
    with sent(loop_eng.db, selects_only=True) as seen:
        for user in ("bob", "cat", "max"):
            first = loop_eng.lists.inbox(user, size=5)
            loop_eng.lists.inbox(user, step="review", cursor=first.next, size=5)
            loop_eng.lists.inbox(user, search="Metro", size=5)
            loop_eng.lists.tasks(user, size=5, offset=5)
    path = sqlite_path(str(loop_eng.db.url))
    assert len(seen) > 20 and [s[:200] for s, values in seen if prepared_again(path, s, values)] == []
    # and the count sees a statement compiled anew each run: a bound state meets a partial index's
    assert prepared_again(path, "SELECT id FROM tasks WHERE state = ? AND assignee = ?", ("open", "bob")) == 3
