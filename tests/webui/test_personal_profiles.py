"""The personal profile's pages: refused (403) outside the account team and its managers, each
opening logged and listed on the contact page for the owner, typed values kept on a refusal,
erased on request."""
from __future__ import annotations

import pytest

from .conftest import login, page_of, text_of


@pytest.fixture
def lin(engine):
    account_id = engine.accounts.create("amy", {"name": "台北捷運公司", "account_type": "national"})
    contact_id = engine.accounts.add_contact(account_id, "amy", {"name": "林主任", "title": "資訊長"})
    engine.personal.save_profile(contact_id, "amy", {"hobbies": "週末打高爾夫", "birthday": "1970-05-17"})
    return contact_id


@pytest.mark.parametrize("outsider", ["ray", "cat"])
def test_a_rep_or_committee_member_outside_the_team_gets_403_and_no_view_is_logged(client, engine, lin, outsider):
    login(client, outsider)
    for url in (f"/contacts/{lin}/profile", f"/contacts/{lin}/profile/edit", f"/contacts/{lin}/profile/erase"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/contacts/{lin}/profile/erase").status_code == 403
    assert engine.personal.access_log(lin, "amy") == []
    assert "週末打高爾夫" in engine.personal.profile(lin, "amy").values["hobbies"]


def test_the_managers_view_is_logged_and_listed_on_the_contact_page_for_the_owner(client, engine, lin):
    login(client, "bob")
    response = client.get(f"/contacts/{lin}/profile")
    assert response.status_code == 200 and "週末打高爾夫" in text_of(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert "週末打高爾夫" not in text_of(client.get(f"/contacts/{lin}"))      # only on its own page
    assert page_of(client.get(f"/contacts/{lin}")).xpath("//table[contains(@class,'access-log')]") == []
    client.get("/logout")
    login(client, "amy")
    log = page_of(client.get(f"/contacts/{lin}")).xpath("//table[contains(@class,'access-log')]//tbody/tr")
    assert len(log) == 1 and "王大明" in log[0].text_content()


def test_a_refused_profile_keeps_what_was_typed_and_names_the_field(client, engine, lin):
    login(client, "amy")
    response = client.post(f"/contacts/{lin}/profile/edit", data={"birthday": "去年夏天", "family": "兩個孩子"})
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("//textarea[@name='family']")[0].text_content().strip() == "兩個孩子"
    assert page.xpath("//input[@name='birthday']/@value") == ["去年夏天"]
    assert page.xpath("//*[@id='error-birthday' or contains(@class,'field-error')]")


def test_the_owner_erases_the_profile_and_the_person_stays(client, engine, lin):
    login(client, "amy")
    assert client.post(f"/contacts/{lin}/profile/erase").status_code == 302
    assert engine.personal.profile(lin, "amy").values == {}
    assert client.get(f"/contacts/{lin}").status_code == 200
