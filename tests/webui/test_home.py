"""The home page shows work in motion beside the tasks: the projects the user may see by the
step they wait at, and the overdue work among them; a rep sees only her own."""
from __future__ import annotations

from datetime import timedelta

from engine import demo

from .conftest import login, page_of


def _motion(client) -> tuple[dict[str, str], list[str]]:
    page = page_of(client.get("/"))
    steps = {" ".join(li.xpath("string(.)").split()[:-1]): li.xpath("string(span[@class='count'])")
             for li in page.xpath("//ul[@class='projects-by-step']/li")}
    return steps, [" ".join(li.xpath("string(.)").split()) for li in page.xpath("//ul[@class='overdue-work']/li")]


def test_the_home_page_counts_the_projects_i_may_see_by_step_and_lists_overdue_work(client, engine, app):
    demo.to_manager_review(engine, "amy", "北區專案")
    demo.to_manager_review(engine, "amy", "北區專案二")
    demo.to_manager_review(engine, "ray", "南區專案")
    login(client, "bob")                                    # the north manager: amy's two, not ray's
    steps, overdue = _motion(client)
    assert steps == {"部門經理審核": "2"} and overdue == []
    later = max(t.due for t in engine.tasks("bob")) + timedelta(hours=1)
    app.config["CLOCK"] = engine.ctx.clock = lambda: later   # the reviews are past due now
    login(client, "bob")
    steps, overdue = _motion(client)
    assert len(overdue) == 1 and overdue[0].startswith("部門經理審核 · 王大明 Bob Wang · 2 項任務 · 自 ")
    login(client, "ray")
    assert _motion(client)[0] == {"部門經理審核": "1"}      # a rep: her own project only
