"""A report's projects for a viewer who does not see all (engine/reports/scope.py), on both
databases: a UNION of the ways in - own or her people's projects, projects on an account her
people own, on an account on whose team they are, on an account she sponsors - gives exactly
the projects the account rule's OR gives, for the owner, her manager, a team member from
another department, that member's manager, the sponsor, an outsider and the committee."""
from __future__ import annotations

import pytest
from sqlalchemy import or_, select

from engine.db.schema import Instance
from engine.db.workspace import Account
from engine.demo import to_manager_review
from engine.reports import scope
from engine.reports.filters import Filters
from engine.workspace import access

VIEWERS = ("amy", "bob", "eve", "sam", "vic", "ann", "col")


@pytest.fixture
def projects(kam_eng):
    kam_eng.add_user("eve", groups=["rep"], department="south", reports_to=None)
    kam_eng.add_user("sam", groups=["manager"], department="south", reports_to=None)
    kam_eng.add_user("vic", groups=["manager"], department="board", reports_to=None)
    shared = to_manager_review(kam_eng, "amy", "On a shared account")
    own = to_manager_review(kam_eng, "eve", "Eve's own")
    account_id = kam_eng.instance(shared).account_id
    kam_eng.accounts.set_our_side(account_id, "amy", {"owner": "amy", "team": ["eve"], "executive_sponsor": "vic"})
    return shared, own


def by_union_and_by_or(eng, username: str) -> tuple[set[str], set[str]]:
    with eng.ctx.uow(read_only=True) as uow:
        person = scope.viewer(uow, username)
        union = set(uow.session.scalars(select(Instance.id).where(
            *scope.projects_where(eng.ctx, uow, person, Filters()))))
        people = {username} | access.people_under(uow.session, username)
        rule = or_(Instance.owner.in_(people),
                   Instance.account_id.in_(select(Account.id).where(access.visible_filter(uow, person))))
        every = set(uow.session.scalars(select(Instance.id).where(
            *scope.projects_where(eng.ctx, uow, scope.viewer(uow, "col"), Filters()))))
        by_or = set(uow.session.scalars(select(Instance.id).where(rule, Instance.id.in_(every))))
    return union, by_or


def test_the_union_of_the_ways_in_gives_the_projects_the_account_rule_gives_every_viewer(kam_eng, projects):
    shared, own = projects
    seen = {}
    for viewer in VIEWERS:
        union, by_or = by_union_and_by_or(kam_eng, viewer)
        assert union == by_or, viewer
        seen[viewer] = union
    assert seen["amy"] == seen["bob"] == {shared}                   # owner; her manager
    assert seen["eve"] == seen["sam"] == {shared, own}              # on the team; that member's manager
    assert seen["vic"] == {shared} and seen["ann"] == set()         # the sponsor; an outsider
    assert seen["col"] == {shared, own}
    assert {s.step: s.projects for s in kam_eng.reports.projects_by_step("vic")} == {"manager_review": 1}
