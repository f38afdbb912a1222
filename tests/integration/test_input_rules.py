"""Bad input is refused by the engine with the field named, on SQLite and PostgreSQL alike:
text within its column, no control characters, time zones from the tz database, and no key
that no row can have ever sent to the database (PostgreSQL answers NUL with an error)."""
from __future__ import annotations

import pytest

from engine import NotFound, ValidationFailed
from engine.db.schema import User
from engine.demo import answer, to_manager_review
from engine.text import LIMITS, ONE_LINE, column_limit

USER_FIELDS = ("display_name", "department", "email")


def refused(call) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as failed:
        call()
    return {e.path: e.message for e in failed.value.errors}


def sized(field: str, length: int) -> str:
    return ("a" * (length - len("@example.test")) + "@example.test") if field == "email" else "台" * length


@pytest.mark.parametrize("field", USER_FIELDS)
def test_a_user_field_holds_exactly_its_column_size_and_one_more_is_refused_naming_it(eng, field):
    limit = column_limit(getattr(User, field))
    eng.add_user("amy", groups=["rep"], **{field: sized(field, limit)})      # PostgreSQL checks varchar(n)
    assert getattr(eng.user("amy"), field) == sized(field, limit)
    assert refused(lambda: eng.add_user("amy", groups=["rep"], **{field: sized(field, limit + 1)})) == {
        f"$.{field}": f"must be at most {limit} characters"}
    assert getattr(eng.user("amy"), field) == sized(field, limit)


def test_a_150_character_department_is_refused_and_nothing_changes(eng):
    before = eng.user("bob")
    assert refused(lambda: eng.add_user("bob", groups=["manager"], department="d" * 150)) == {
        "$.department": f"must be at most {LIMITS['department']} characters"}
    assert eng.user("bob") == before


@pytest.mark.parametrize("field", ("display_name", "department", "email", "reports_to"))
def test_a_nul_or_line_break_in_a_user_field_is_refused_naming_the_field(eng, field):
    for bad in ("x\x00y@example.test", "x\ny@example.test"):
        errors = refused(lambda: eng.add_user("amy", groups=["rep"], **{field: bad}))
        assert set(errors) == {f"$.{field}"}


def test_a_time_zone_outside_the_tz_database_is_refused_wherever_it_is_set(eng):
    assert refused(lambda: eng.add_user("amy", groups=["rep"], time_zone="Mars/Olympus_Mons")) == {
        "$.time_zone": "unknown time zone 'Mars/Olympus_Mons'"}
    assert "$.time_zone" in refused(lambda: eng.set_preferences("amy", time_zone="Asia/Taipei\x00"))
    assert eng.set_preferences("amy", time_zone="Europe/Paris").time_zone == "Europe/Paris"


def test_a_login_name_with_nul_is_refused_as_a_name_and_finds_nobody(eng):
    assert refused(lambda: eng.authenticate("amy\x00", "secret")) == {"$.username": ONE_LINE}
    assert eng.authenticate("nobody", "secret") is None


def test_a_lookup_by_an_id_with_nul_or_too_long_finds_nothing(kam_eng):
    iid = to_manager_review(kam_eng, "amy", "Lookups")
    for bad in ("x\x00", "x" * 500, iid + "\x00"):
        for lookup in (lambda: kam_eng.instance(bad), lambda: kam_eng.task(bad, "bob"), lambda: kam_eng.user(bad),
                       lambda: kam_eng.attachments.open(bad, "amy")):
            with pytest.raises(NotFound):
                lookup()
        assert not kam_eng.may_view(bad, "amy") and not kam_eng.may_view(iid, bad)


def test_a_search_or_step_filter_with_control_characters_is_refused_naming_it(kam_eng):
    to_manager_review(kam_eng, "amy", "100% 台北_Metro")
    assert refused(lambda: kam_eng.tasks("bob", search="Metro\x00")) == {"$.search": ONE_LINE}
    assert refused(lambda: kam_eng.tasks("bob", bpmn_id="manager_review\x00")) == {"$.step": ONE_LINE}
    assert "$.search" in refused(lambda: kam_eng.instances(search="x" * (LIMITS["search"] + 1)))
    assert len(kam_eng.tasks("bob", search="100% 台北_")) == 1          # % and _ are text, not wildcards
    assert kam_eng.tasks("bob", search="100%%") == [] and kam_eng.instances(search="_Metr_") == []


def test_a_form_answer_with_nul_is_refused_and_the_instance_is_unchanged(kam_eng):
    iid = kam_eng.start("key_account_development", "amy", {"project_name": "NUL answer"})
    task = next(t for t in kam_eng.instance(iid).tasks if t.bpmn_id == "customer_info")
    before = kam_eng.instance(iid)
    data = answer("customer_info")
    data["customer"] = {**data["customer"], "name": "Taipei\x00Metro"}
    assert refused(lambda: kam_eng.complete(task.id, "amy", data)) == {"$.customer.name": ONE_LINE}
    after = kam_eng.instance(iid)
    assert (after.data, [t.id for t in after.tasks], len(after.history)) == \
        (before.data, [t.id for t in before.tasks], len(before.history))


def test_reasons_and_drafts_refuse_control_characters_but_keep_line_breaks(kam_eng):
    iid = kam_eng.start("key_account_development", "amy", {"project_name": "Reasons"})
    task = kam_eng.instance(iid).tasks[0]
    kam_eng.drafts.save(task.id, "amy", {"customer.business": "two\nlines"})
    assert refused(lambda: kam_eng.drafts.save(task.id, "amy", {"customer.name": "a\x00b"})) == {
        "$.customer.name": "must not contain control characters"}
    assert kam_eng.drafts.get(task.id, "amy") == {"customer.business": "two\nlines"}
    assert "$.reason" in refused(lambda: kam_eng.withdraw(iid, "amy", "r" * (LIMITS["reason"] + 1)))
    assert "$.reason" in refused(lambda: kam_eng.withdraw(iid, "amy", "because\x00"))
    kam_eng.withdraw(iid, "amy", "Customer\r\nchose another vendor")
    assert kam_eng.instance(iid).history[-1].data["reason"] == "Customer\r\nchose another vendor"


def test_an_attachment_name_longer_than_its_column_is_refused(kam_eng):
    iid = kam_eng.start("key_account_development", "amy", {"project_name": "Files"})
    name = "n" * (LIMITS["filename"] - 4) + ".txt"
    assert kam_eng.attachments.add(iid, "amy", name, b"notes").filename == name
    assert refused(lambda: kam_eng.attachments.add(iid, "amy", "n" + name, b"notes")) == {
        "$.file": f"the file name is longer than {LIMITS['filename']} characters"}


def test_a_group_name_or_description_with_control_characters_is_refused_naming_it(eng):
    assert set(refused(lambda: eng.groups.create("comp\x00liance", "zed", "Checks gifts"))) == {"$.name"}
    assert refused(lambda: eng.groups.create("compliance", "zed", "Checks\x00gifts")) == {
        "$.description": "must not contain control characters"}
    assert "$.name" in refused(lambda: eng.groups.create("g" * (LIMITS["group_name"] + 1), "zed", ""))
    eng.groups.create("g" * LIMITS["group_name"], "zed", "Two\nlines")          # PostgreSQL checks varchar(n)
    assert "compliance" not in [g.name for g in eng.groups.list()]
