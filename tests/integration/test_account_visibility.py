"""Who sees an account and everything under it, and who changes it (per object, in the engine).

The organisation (tests/integration/conftest.py): amy and ann are reps in north under bob,
bob reports to dan; cat, cid and col (chair) are the committee; zed is an admin.
"""
from __future__ import annotations

import pytest

from engine import NotAllowed


@pytest.fixture
def account(eng):
    eng.add_user("eve", groups=["rep"], department="south", reports_to=None)     # nobody's report, nobody's boss
    eng.add_user("sam", groups=["manager"], department="south", reports_to=None)
    account_id = eng.accounts.create("amy", {"name": "台北捷運公司", "account_type": "national"})
    contact = eng.accounts.add_contact(account_id, "amy", {"name": "林主任"})
    competitor = eng.accounts.add_competitor(account_id, "amy", {"name": "Acme"})
    return account_id, contact, competitor


@pytest.mark.parametrize("viewer", ["amy", "bob", "dan", "cat", "col", "zed"])
def test_the_owner_their_managers_the_committee_the_chair_and_admins_see_the_account(eng, account, viewer):
    account_id, contact, competitor = account
    assert eng.accounts.get(account_id, viewer).name == "台北捷運公司"
    assert eng.accounts.contact(contact, viewer).name == "林主任"
    assert eng.accounts.competitor(competitor, viewer).name == "Acme"
    assert [a.id for a in eng.accounts.list(viewer).accounts] == [account_id]


@pytest.mark.parametrize("outsider", ["ann", "eve", "sam"])
def test_a_rep_or_manager_outside_the_team_and_its_chain_sees_nothing_of_it(eng, account, outsider):
    account_id, contact, competitor = account
    for look in (lambda: eng.accounts.get(account_id, outsider), lambda: eng.accounts.contact(contact, outsider),
                 lambda: eng.accounts.competitor(competitor, outsider),
                 lambda: eng.accounts.document(account_id, outsider)):
        with pytest.raises(NotAllowed):
            look()
    assert eng.accounts.list(outsider).accounts == []
    with pytest.raises(NotAllowed):
        eng.accounts.add_contact(account_id, outsider, {"name": "Spy"})


def test_a_team_member_edits_and_their_managers_and_our_sponsor_only_see_it(eng, account):
    account_id, contact, _competitor = account
    eng.add_user("vic", groups=["manager"], department="board", reports_to=None)
    eng.accounts.set_our_side(account_id, "amy", {"owner": "amy", "team": ["eve"], "executive_sponsor": "vic"})
    assert eng.accounts.get(account_id, "eve").may_edit
    eng.accounts.change_contact(contact, "eve", {"name": "林主任", "title": "CIO"})
    for viewer in ("sam", "vic"):             # eve's department manager; our executive sponsor
        assert not eng.accounts.get(account_id, viewer).may_edit
        assert [a.id for a in eng.accounts.list(viewer).accounts] == [account_id]
    for viewer in ("sam", "vic", "bob", "cat", "col"):
        with pytest.raises(NotAllowed):
            eng.accounts.change_contact(contact, viewer, {"name": "X"})
        with pytest.raises(NotAllowed):
            eng.accounts.update(account_id, viewer, {"name": "X", "account_type": "global"})
    assert eng.accounts.contact(contact, "zed").title == "CIO"


def test_a_deactivated_owner_no_longer_sees_the_account(eng, account):
    account_id, _contact, _competitor = account
    eng.add_user("amy", groups=["rep"], department="north", reports_to="bob", active=False)
    with pytest.raises(NotAllowed):
        eng.accounts.get(account_id, "amy")
