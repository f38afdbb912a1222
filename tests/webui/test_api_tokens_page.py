"""Settings → API tokens: a user creates a token (its secret shown this once), sees when it was
made, last used and expires, and revokes it; nobody else's tokens show or can be revoked."""
from __future__ import annotations

from .conftest import login, page_of, text_of


def create(client, name="CRM sync", days="30"):
    return client.post("/settings/tokens", data={"token_name": name, "token_days": days})


def test_a_new_token_is_shown_once_and_works_for_the_api(client, engine):
    login(client, "amy")
    response = create(client)
    assert response.status_code == 200
    secret = page_of(response).xpath("string(//code[@id='new-token'])")
    assert secret.startswith("kft_")
    again = client.get("/settings/")
    assert secret not in again.get_data(as_text=True)
    row = page_of(again).xpath("//section[@id='tokens']//tbody/tr")[0]
    assert "CRM sync" in row.text_content() and secret[:10] in row.text_content()
    assert "尚未使用" in row.text_content()
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert "尚未使用" not in page_of(client.get("/settings/")).xpath("//section[@id='tokens']//tbody/tr")[0] \
        .text_content()


def test_a_token_is_revoked_from_the_settings_page(client, engine):
    login(client, "amy")
    secret = page_of(create(client)).xpath("string(//code[@id='new-token'])")
    token = engine.tokens.list("amy")[0]
    response = client.post(f"/settings/tokens/{token.id}/revoke", follow_redirects=True)
    assert "權杖已撤銷" in text_of(response)
    assert engine.tokens.user_of(secret) is None and engine.tokens.list("amy") == []


def test_another_users_token_cannot_be_revoked_or_seen(client, engine):
    token, secret = engine.tokens.create("bob", "bob's", days=30)
    login(client, "amy")
    assert "bob's" not in text_of(client.get("/settings/"))
    assert client.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert engine.tokens.user_of(secret) == "bob"


def test_a_token_without_a_name_or_lifetime_comes_back_with_the_errors(client, engine):
    login(client, "amy")
    response = create(client, name="", days="1000")
    assert response.status_code == 422
    page = page_of(response)
    assert page.xpath("string(//*[@id='field-token_name--error'])").startswith("請為權杖命名")
    assert page.xpath("string(//*[@id='field-token_days--error'])") == "請選擇權杖的有效期間。"
    assert engine.tokens.list("amy") == []
