"""The process catalog: which deployed processes people may start (by group), what each is
for, and which one is the product's home; on both databases."""
from __future__ import annotations

import pytest

from engine import NotAllowed, NotFound, ValidationFailed

from ..conftest import DATA


def test_a_new_process_is_offered_to_everyone_until_an_admin_names_the_groups_that_may_start_it(eng):
    eng.deploy(DATA / "manual_steps")
    (entry,) = eng.process_catalog.entries()
    assert (entry.process_id, entry.name, entry.version, entry.offered, entry.groups, entry.home) == \
        ("manual_steps", "Stock check", 1, True, [], False)
    assert [e.process_id for e in eng.process_catalog.startable("amy")] == ["manual_steps"]

    eng.groups.create("Warehouse", "zed")
    eng.groups.add_member("Warehouse", "ann", "zed")
    eng.process_catalog.change("manual_steps", "zed", groups=["Warehouse"],
                               descriptions={"zh_Hant": " 倉庫盤點 ", "en": "Count the stock"})
    assert eng.process_catalog.startable("amy") == []
    with pytest.raises(NotAllowed):
        eng.start("manual_steps", "amy")
    (seen,) = eng.process_catalog.startable("ann")
    assert (seen.description("zh_Hant"), seen.description("en"), seen.description("ja")) == \
        ("倉庫盤點", "Count the stock", "倉庫盤點")
    eng.start("manual_steps", "ann")
    eng.start("manual_steps", "zed")                           # an admin may start anything

    eng.process_catalog.change("manual_steps", "zed", offered=False)
    assert eng.process_catalog.startable("ann") == []
    with pytest.raises(NotAllowed):
        eng.start("manual_steps", "ann")
    assert [r["owner"] for r in eng.instances()] == ["zed", "ann"]


def test_only_admins_change_the_catalog_and_bad_entries_name_the_field(eng):
    eng.deploy(DATA / "manual_steps")
    with pytest.raises(NotAllowed):
        eng.process_catalog.change("manual_steps", "amy", offered=False)
    with pytest.raises(ValidationFailed) as caught:
        eng.process_catalog.change("manual_steps", "zed", groups=["nobody"], descriptions={"fr": "x", "en": "y" * 2001})
    assert [e.path for e in caught.value.errors] == ["$.groups", "$.descriptions.fr", "$.descriptions.en"]
    with pytest.raises(NotFound):
        eng.process_catalog.change("no_such_process", "zed", offered=False)
    assert eng.process_catalog.entries()[0].offered is True


def test_one_process_is_home_and_the_instances_of_processes_that_are_not_projects_are_requests(kam_eng):
    eng = kam_eng
    eng.deploy(DATA / "manual_steps")
    eng.process_catalog.change("key_account_development", "zed", home=True)
    assert eng.process_catalog.home() == "key_account_development"
    assert [e.process_id for e in eng.process_catalog.entries()][0] == "key_account_development"
    project = eng.start("key_account_development", "amy", {"project_name": "Metro"})
    request = eng.start("manual_steps", "amy")
    assert [r["id"] for r in eng.instances(projects_only=True)] == [project]
    assert [(r["id"], r["process_name"]) for r in eng.instances(requests_only=True)] == [(request, "Stock check")]
    eng.process_catalog.change("manual_steps", "zed", home=True)              # one home at a time
    assert [e.process_id for e in eng.process_catalog.entries() if e.home] == ["manual_steps"]


def test_a_group_that_may_start_a_process_cannot_be_deleted(eng):
    eng.deploy(DATA / "manual_steps")
    eng.groups.create("Warehouse", "zed")
    eng.process_catalog.change("manual_steps", "zed", groups=["Warehouse"])
    with pytest.raises(ValidationFailed) as caught:
        eng.groups.delete("Warehouse", "zed")
    assert [e.path for e in caught.value.errors] == ["$.name"] and "manual_steps" in caught.value.errors[0].message
    eng.groups.change("Warehouse", "zed", new_name="Stock room")              # a rename follows along
    assert eng.process_catalog.entries()[0].groups == ["Stock room"]


def test_a_process_another_part_of_the_product_starts_is_not_offered_in_the_catalog(kam_eng):
    gift = next(e for e in kam_eng.process_catalog.entries() if e.process_id == "gift_approval")
    assert gift.offered is False
    assert "gift_approval" not in [e.process_id for e in kam_eng.process_catalog.startable("amy")]
    with pytest.raises(NotAllowed):
        kam_eng.start("gift_approval", "amy", {"gift_id": 1})
