"""The admin's lists on both databases: instances paged by key (latest change first, ties
broken by id) forwards and back, by status, found by name as typed through the names' index
(which follows renames); incidents paged; and no list statement reads workflow state."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from engine import NotAllowed, ValidationFailed
from engine.db.schema import Incident, Instance

from ..statements import sent

MOMENT = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def many(loop_eng):
    """23 instances: names with % and _ and Chinese; three share each last-change moment."""
    names = [f"台北 Metro_{n:02d}" for n in range(10)] + [f"Harbour {n}%" for n in range(10)] + ["Mx", "a_b", "a%b"]
    made = [loop_eng.start("review_loop", "amy", {"project_name": name}) for name in names]
    with loop_eng.ctx.uow() as uow:
        for n, iid in enumerate(made):
            uow.session.execute(update(Instance).where(Instance.id == iid)
                                .values(updated_at=MOMENT - timedelta(minutes=n // 3)))
    loop_eng.suspend(made[4], "zed")
    with loop_eng.ctx.uow() as uow:                      # keep the order the ties were given
        uow.session.execute(update(Instance).where(Instance.id == made[4]).values(updated_at=MOMENT))
    return made


def newest_first(eng) -> list[str]:
    with eng.ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(Instance.id, Instance.updated_at)).all()
    return [r.id for r in sorted(rows, key=lambda r: (r.updated_at, r.id), reverse=True)]


def test_instances_page_by_key_forwards_and_back_with_equal_times(loop_eng, many):
    pages, cursor = [], None
    while True:
        found = loop_eng.lists.instances("zed", cursor=cursor, size=4)
        pages.append(found)
        if not found.next:
            break
        cursor = found.next
    assert [r["id"] for p in pages for r in p.items] == newest_first(loop_eng) and len(pages) == 6
    assert pages[0].previous is None and pages[2].items[0]["process_name"]
    back = loop_eng.lists.instances("zed", cursor=pages[3].previous, size=4)
    assert back.items == pages[2].items and back.next == pages[2].next
    assert loop_eng.lists.instances("zed", cursor=pages[1].previous, size=4).items == pages[0].items


def test_instances_by_status_and_by_name_as_typed(loop_eng, many):
    (held,) = loop_eng.lists.instances("zed", status="suspended").items
    assert held["id"] == many[4] and held["status"] == "suspended"
    assert len(loop_eng.lists.instances("zed", status="running").items) == 22

    def names(search: str, size: int = 50) -> set[str]:
        return {r["project_name"] for r in loop_eng.lists.instances("zed", search=search, size=size).items}
    assert names("metro_0") == {f"台北 Metro_{n:02d}" for n in range(10)}
    assert names("台北") == names("METRO") == names("etr")
    assert names("0%") == {"Harbour 0%"} and names("%") == {f"Harbour {n}%" for n in range(10)} | {"a%b"}
    assert names("a_b") == {"a_b"} and names("_") == {f"台北 Metro_{n:02d}" for n in range(10)} | {"a_b"}
    assert names("Mx") == {"Mx"} and names("x") == {"Mx"}
    for miss in ("Metro%0", "Harbour_1", "港口", "Mxx"):
        assert names(miss) == set()
    first = loop_eng.lists.instances("zed", search="harbour", size=6)
    rest = loop_eng.lists.instances("zed", search="harbour", cursor=first.next, size=6)
    assert len(first.items) == 6 and len(rest.items) == 4 and rest.next is None
    assert {r["project_name"] for r in first.items + rest.items} == names("harbour")


def test_the_name_search_follows_renames_and_the_other_lists_use_it(loop_eng, many):
    with loop_eng.ctx.uow() as uow:
        inst = uow.session.get(Instance, many[0])
        inst.project_name, inst.account_name = "Renamed 淡水", "Tamsui Ferry"
    found = loop_eng.lists.instances("zed", search="淡水").items
    assert [r["id"] for r in found] == [many[0]] and loop_eng.lists.instances("zed", search="Metro_00").items == []
    assert [r["id"] for r in loop_eng.lists.instances("zed", search="ferry").items] == [many[0]]
    assert [r["id"] for r in loop_eng.instances(owner="amy", search="淡水")] == [many[0]]


def test_only_admins_list_and_a_bad_cursor_is_named(loop_eng, many):
    with pytest.raises(NotAllowed):
        loop_eng.lists.instances("amy")
    with pytest.raises(ValidationFailed) as caught:
        loop_eng.lists.instances("zed", cursor="W10")
    assert [e.path for e in caught.value.errors] == ["$.cursor"]


def test_incidents_page_newest_first(loop_eng, many):
    with loop_eng.ctx.uow() as uow:
        uow.session.add_all(Incident(instance_id=iid, message=f"boom {n}", submitted={}) for n, iid in enumerate(many))
        uow.session.flush()
        uow.session.execute(update(Incident).where(Incident.message == "boom 0").values(resolved_at=MOMENT))
    first = loop_eng.lists.incidents("zed", size=10)
    second = loop_eng.lists.incidents("zed", cursor=first.next, size=10)
    third = loop_eng.lists.incidents("zed", cursor=second.next, size=10)
    messages = [i["message"] for p in (first, second, third) for i in p.items]
    assert messages == [f"boom {n}" for n in range(22, 0, -1)] and third.next is None
    assert first.items[0]["project_name"] == "a%b"
    assert len(loop_eng.lists.incidents("zed", open_only=False, size=100).items) == 23


def test_no_admin_list_reads_workflow_state(loop_eng, many):
    with sent(loop_eng.db) as seen:
        loop_eng.lists.instances("zed", status="running", search="metro")
        loop_eng.lists.instances("zed", search="x")
        loop_eng.lists.incidents("zed")
        loop_eng.notifications.page("zed")
        loop_eng.instances(owner="amy", search="Harbour")
    assert seen and not [s for s, _values in seen if "instances.workflow" in s]
