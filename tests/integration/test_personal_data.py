"""A contact's personal profile (domain §5.1.4): seen by the account team and their managers only,
every view logged, erasable so that the data is gone from every table while the chains verify.

The organisation (tests/integration/conftest.py): amy and ann are reps in north under bob,
bob reports to dan; cat, cid and col (chair) are the committee; zed is an admin.
"""
from __future__ import annotations

import warnings

import pytest
from sqlalchemy import MetaData, select

from engine import NotAllowed
from engine.db.schema import AuditEvent

SECRET = {"birthday": "1970-05-17", "family": "妻子王美華，女兒就讀北一女",
          "hobbies": "週末打高爾夫 golf-7731",
          "career_ambitions": "希望升任副總經理 VP-ambition-4412"}


@pytest.fixture
def lin(eng):
    eng.add_user("eve", groups=["rep"], department="south", reports_to=None)
    account_id = eng.accounts.create("amy", {"name": "台北捷運公司", "account_type": "national"})
    contact_id = eng.accounts.add_contact(account_id, "amy", {"name": "林主任", "title": "資訊長"})
    eng.personal.save_profile(contact_id, "amy", SECRET)
    return contact_id


@pytest.mark.parametrize("outsider", ["ann", "eve", "cat", "col"])
def test_nobody_outside_the_account_team_and_its_managers_sees_a_profile_and_a_refusal_logs_no_view(
        eng, lin, outsider):
    with pytest.raises(NotAllowed):
        eng.personal.profile(lin, outsider)
    assert not eng.personal.rights(lin, outsider).see
    assert eng.personal.access_log(lin, "amy") == []


def test_every_allowed_view_is_a_row_in_the_access_log_that_only_the_owner_and_admins_read(eng, lin):
    for viewer in ("amy", "bob", "dan", "zed", "amy"):
        assert eng.personal.profile(lin, viewer).values["hobbies"] == SECRET["hobbies"]
    assert [row.viewer for row in eng.personal.access_log(lin, "zed")] == ["amy", "zed", "dan", "bob", "amy"]
    with pytest.raises(NotAllowed):
        eng.personal.access_log(lin, "bob")       # a manager sees the profile, not who else did
    assert eng.verify_audit() == []


def _every_stored_text(eng) -> str:
    tables = MetaData()
    with warnings.catch_warnings():      # SQLite cannot reflect the inbox's expression indexes; rows are what counts
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        tables.reflect(eng.db)
    with eng.db.connect() as conn:
        return "\n".join(str(row) for table in tables.sorted_tables for row in conn.execute(select(table)))


def test_an_erased_profile_is_gone_from_every_table_the_contact_stays_and_the_chains_verify(eng, lin):
    eng.personal.profile(lin, "bob")
    eng.personal.save_profile(lin, "amy", {**SECRET, "education": "台大電機 EE-8810"})
    assert "golf-7731" in _every_stored_text(eng)
    with pytest.raises(NotAllowed):
        eng.personal.erase_profile(lin, "bob")
    eng.personal.erase_profile(lin, "amy")
    stored = _every_stored_text(eng)
    for text in (*SECRET.values(), "EE-8810"):
        assert text not in stored
    assert eng.accounts.contact(lin, "amy").name == "林主任"
    assert eng.personal.profile(lin, "amy").values == {}
    assert eng.verify_audit() == []
    with eng.db.connect() as conn:
        erasures = conn.execute(select(AuditEvent.actor, AuditEvent.meta).where(AuditEvent.kind == "erased")).all()
    assert [(actor, meta["contact_id"]) for actor, meta in erasures] == [("amy", lin)]
