"""Admin → Exchange rates (dated rates into the base currency) and redacting a project: refusals keep
what was typed and name the field; only admins."""
from __future__ import annotations

from engine import demo

from .conftest import login, page_of


def test_an_admin_adds_a_rate_and_a_refused_one_keeps_its_values_and_names_the_field(client, engine):
    login(client, "zoe")
    refused = client.post("/admin/rates/", data={"currency": "USD", "valid_from": "2026-01-01", "rate": "-3"})
    assert refused.status_code == 422
    page = page_of(refused)
    assert page.xpath("//*[@id='field-rate--error']")
    assert page.xpath("//input[@name='rate']/@value") == ["-3"]
    assert page.xpath("//select[@name='currency']/option[@selected]/@value") == ["USD"]
    assert "TWD" not in page.xpath("//select[@name='currency']/option/@value")       # the base is not converted
    saved = client.post("/admin/rates/", data={"currency": "USD", "valid_from": "2026-01-01", "rate": "32.1"})
    assert saved.status_code == 302
    rows = page_of(client.get("/admin/rates/")).xpath("//table[contains(@class,'rate-table')]/tbody/tr")
    assert [[td.text_content() for td in row.xpath("td")] for row in rows] == [["USD", "2026-01-01", "32.1"]]


def test_someone_who_is_not_an_admin_gets_403(client):
    login(client, "amy")
    assert client.get("/admin/rates/").status_code == 403
    posted = {"currency": "USD", "valid_from": "2026-01-01", "rate": "1"}
    assert client.post("/admin/rates/", data=posted).status_code == 403


def test_an_admin_redacts_a_name_from_a_project_and_a_text_not_there_comes_back_named(client, engine):
    iid = demo.to_manager_review(engine, "amy", "Metro")
    login(client, "zoe")
    assert "/redact" in " ".join(page_of(client.get(f"/admin/instances/{iid}")).xpath("//a/@href"))
    refused = client.post(f"/admin/instances/{iid}/redact", data={"texts": "不存在的名字"})
    assert refused.status_code == 422
    page = page_of(refused)
    assert page.xpath("string(//*[@id='field-texts--error'])") == "此專案中找不到這些文字"
    assert page.xpath("string(//textarea[@name='texts'])").strip() == "不存在的名字"
    assert client.post(f"/admin/instances/{iid}/redact", data={"texts": "Director Lin\r\nMr. Wu"}).status_code == 302
    assert "Director Lin" not in str(engine.instance(iid).data)
    login(client, "amy")
    assert client.post(f"/admin/instances/{iid}/redact", data={"texts": "Mr. Wu"}).status_code == 403
