"""The project dossier: every stage-1 answer and every review and vote with its reasons, for
whoever may view the project, with a print stylesheet; refused to everyone else."""
from __future__ import annotations

from engine import demo

from .conftest import login, page_of, text_of


def _reviewed_project(engine) -> str:
    iid = demo.to_manager_review(engine, "amy", "台北捷運票務")
    demo.complete_open(engine, iid, "manager_review", "return", return_to="proposal")
    demo.complete_open(engine, iid, "proposal")
    demo.complete_open(engine, iid, "manager_review")
    votes = {t.assignee: t for t in engine.instance(iid).tasks}
    engine.complete(votes["cat"].id, "cat", demo.answer("committee_vote", decision="decline"))
    return iid


def test_the_dossier_shows_every_answer_and_each_review_and_vote_with_its_reasons(client, engine):
    iid = _reviewed_project(engine)
    login(client, "bob")
    response = client.get(f"/projects/{iid}/dossier")
    assert response.status_code == 200
    text = text_of(response)
    for submitted in ("台北捷運公司 Taipei Metro", "Acme Systems", "Peak-hour failures", "Director Lin", "Mr. Wu",
                      "Cloud ticketing back office"):
        assert submitted in text
    page = page_of(response)
    headings = [h.text_content() for h in page.xpath("//section[@class='dossier-section']/h2")]
    assert headings[:6] == ["客戶資訊表", "競爭對手資訊表", "專案資訊表", "專案決策人資訊表", "專案決策人參與人資訊表",
                            "專案建議書"]
    rows = page.xpath("//table[contains(@class,'dossier-decisions')]/tbody/tr/@class")
    assert rows == ["decision-return", "decision-approve", "decision-decline"]
    assert text.count("請補充預算核准流程") == 2            # the manager's and the member's reasons
    assert page.xpath("//link[contains(@href,'dossier.css')]")
    assert f"/projects/{iid}/dossier" in page_of(client.get(f"/projects/{iid}")).xpath("//a/@href")


def test_someone_who_may_not_view_the_project_gets_403(client, engine):
    iid = _reviewed_project(engine)
    login(client, "ray")
    assert client.get(f"/projects/{iid}/dossier").status_code == 403


def test_the_project_page_shows_the_deal_in_both_currencies_and_warns_when_the_authorisation_ended(client, engine):
    engine.rates.set("zoe", {"currency": "USD", "valid_from": "2020-01-01", "rate": 32})
    iid = engine.start(demo.PROCESS, "amy", {"project_name": "Port deal"})
    for bpmn_id in demo.INFORMATION + ("proposal",):
        overrides = {"project": {**demo.answer("project_info")["project"], "budget_amount": 100_000,
                                 "budget_currency": "USD"}} if bpmn_id == "project_info" else {}
        demo.complete_open(engine, iid, bpmn_id, **overrides)
    login(client, "amy")
    glance = page_of(client.get(f"/projects/{iid}")).xpath("//section[contains(@class,'at-a-glance')]")[0]
    assert "USD 100,000" in glance.text_content() and "TWD 3,200,000" in glance.text_content()
    for step in ("manager_review", "committee_vote"):
        demo.complete_open(engine, iid, step)
    task = next(t for t in engine.instance(iid).tasks if t.bpmn_id == "authorisation")
    record = demo.answer("authorisation", "amy")
    record["authorisation"].update(valid_until="2021-06-30", team=["amy", "ken"])
    engine.complete(task.id, "col", record)
    page = page_of(client.get(f"/projects/{iid}"))
    assert page.xpath("string(//dd[@class='budget-ceiling'])") == "TWD 300,000"
    assert "2021-06-30" in page.xpath("string(//dd[@class='valid-until'])")
    assert page.xpath("//*[contains(@class,'authorisation-expired')]")
    dossier = text_of(client.get(f"/projects/{iid}/dossier"))
    assert "USD 100,000" in dossier and "TWD 3,200,000" in dossier
    assert "委員會表決規則所採用的金額" in dossier


def test_the_authorisation_form_offers_users_to_pick_and_refuses_anyone_else(client, engine):
    iid = demo.to_committee(engine, "amy", "Metro")
    demo.complete_open(engine, iid, "committee_vote")
    task = next(t for t in engine.instance(iid).tasks if t.bpmn_id == "authorisation")
    login(client, "col")
    page = page_of(client.get(f"/tasks/{task.id}"))
    options = page.xpath("//select[@name='authorisation.project_owner']/option/@value")
    assert "amy" in options and "ken" in options
    posted = {"authorisation.project_owner": "mallory", "authorisation.team.0": "amy", "_rows.authorisation.team": "1",
              "authorisation.objectives": "贏得標案", "authorisation.budget_ceiling.amount": "300000",
              "authorisation.budget_ceiling.currency": "TWD", "authorisation.scope": "第二階段",
              "authorisation.valid_until": "2030-12-31"}
    refused = client.post(f"/tasks/{task.id}", data=posted)
    assert refused.status_code == 422
    page = page_of(refused)
    assert page.xpath("//*[@id='field-authorisation-project_owner--error']")
    assert page.xpath("string(//textarea[@name='authorisation.objectives'])").strip() == "贏得標案"
