"""Who may see a project: the team, the management chain above it, and whoever an escalation reached."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from engine.demo import to_manager_review

P = "key_account_development"


def test_everyone_up_the_owners_chain_may_see_the_project_and_nobody_beside_it(kam_eng):
    kam_eng.add_user("vp", groups=["manager"], department="board", reports_to=None)
    kam_eng.add_user("dan", groups=["manager"], department="hq", reports_to="vp")
    kam_eng.add_user("sam", groups=["manager"], department="south", reports_to="vp")
    iid = kam_eng.start(P, "amy", {"project_name": "Chain"})
    assert [kam_eng.may_view(iid, u) for u in ("bob", "dan", "vp")] == [True, True, True]
    assert [kam_eng.may_view(iid, u) for u in ("sam", "ann")] == [False, False]


def test_the_chain_above_the_reviewing_manager_may_see_the_project(kam_eng):
    """bob is away: his stand-in kim, from another branch of the organisation, reviews."""
    kam_eng.add_user("pat", groups=["manager"], department="board", reports_to=None)
    kam_eng.add_user("kim", groups=["manager"], department="west", reports_to="pat")
    kam_eng.set_delegate("bob", "bob", "kim")
    iid = to_manager_review(kam_eng, "amy", "Reviewed by a stand-in")
    assert [t.assignee for t in kam_eng.instance(iid).tasks] == ["kim"]
    assert kam_eng.may_view(iid, "kim") and kam_eng.may_view(iid, "pat")
    assert not kam_eng.may_view(iid, "ann")


def test_whoever_an_escalation_reached_keeps_seeing_the_project_after_the_org_chart_changes(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Escalated")
    kam_eng.fire_timers(datetime.now(timezone.utc) + timedelta(days=8))
    assert "dan" in next(e for e in kam_eng.instance(iid).history if e.kind == "escalation").data["notified"]
    kam_eng.add_user("dan", groups=["manager"], department="hq", reports_to=None)     # no longer admin
    kam_eng.add_user("bob", groups=["manager"], department="north", reports_to=None)  # no longer under dan
    assert kam_eng.may_view(iid, "dan")
