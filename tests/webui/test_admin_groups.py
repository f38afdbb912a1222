"""Admin → Groups: create, describe, rename, members in and out, delete; admins only."""
from __future__ import annotations

from .conftest import login, page_of, text_of


def test_an_admin_creates_a_group_fills_it_renames_it_and_deletes_it(client, engine):
    login(client, "zoe")
    response = client.post("/admin/groups/", data={"name": "compliance", "description": "Checks gifts"})
    assert response.status_code == 302 and response.location.endswith("/admin/groups/compliance")
    client.post("/admin/groups/compliance/members", data={"username": "cat"})
    client.post("/admin/groups/compliance/members", data={"username": "ken"})
    client.post("/admin/groups/compliance/members/ken/remove")
    assert engine.groups.get("compliance").members == ["cat"]
    response = client.post("/admin/groups/compliance", data={"name": "法遵 compliance", "description": "Gifts"})
    assert response.location.endswith("/admin/groups/%E6%B3%95%E9%81%B5%20compliance")
    page = client.get(response.location)
    shown = text_of(page)
    assert "黃美玲 Cathy Huang" in shown and page_of(page).xpath("string(//input[@name='description']/@value)") == "Gifts"
    assert "將名稱由 compliance 改為 法遵 compliance" in shown and "移出 吳建宏 Ken Wu" in shown
    assert "法遵 compliance" in engine.user("cat").groups
    assert client.post("/admin/groups/法遵 compliance/delete").status_code == 302
    assert "法遵 compliance" not in [g.name for g in engine.groups.list()]


def test_a_bad_group_name_is_shown_at_its_field_with_what_was_typed(client, engine):
    login(client, "zoe")
    response = client.post("/admin/groups/", data={"name": "a/b", "description": "Typed description"})
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("string(//*[@id='field-name--error'])")
    assert page.xpath("string(//input[@name='description']/@value)") == "Typed description"


def test_a_well_known_group_can_be_described_but_not_renamed_or_deleted(client, engine):
    login(client, "zoe")
    page = page_of(client.get("/admin/groups/committee"))
    assert page.xpath("//input[@name='name']/@readonly") and not page.xpath("//form[contains(@action, '/delete')]")
    client.post("/admin/groups/committee", data={"name": "jury", "description": "Votes on proposals"})
    assert engine.groups.get("committee").description == "Votes on proposals"
    assert client.post("/admin/groups/committee/delete").status_code == 422
    assert engine.groups.get("committee").members == ["cat", "col", "ken"]


def test_users_belong_to_groups_on_the_user_page_too(client, engine):
    engine.groups.create("compliance", "zoe")
    login(client, "zoe")
    page = page_of(client.get("/admin/users/amy"))
    assert page.xpath("//input[@name='groups']/@value")[:5] == ["rep", "manager", "committee", "chair", "admin"]
    assert "compliance" in page.xpath("//input[@name='groups']/@value")


def test_only_admins_reach_the_group_pages(client):
    login(client, "amy")
    assert client.get("/admin/groups/").status_code == 403
    assert client.post("/admin/groups/", data={"name": "sneaky"}).status_code == 403
