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
    assert headings[:6] == ["客戶資訊表", "競爭對手資訊表", "專案資訊表", "專案決策人資訊表", "專案決策人參與人資訊表", "專案建議書"]
    rows = page.xpath("//table[contains(@class,'dossier-decisions')]/tbody/tr/@class")
    assert rows == ["decision-return", "decision-approve", "decision-decline"]
    assert text.count("請補充預算核准流程") == 2            # the manager's and the member's reasons
    assert page.xpath("//link[contains(@href,'dossier.css')]")
    assert f"/projects/{iid}/dossier" in page_of(client.get(f"/projects/{iid}")).xpath("//a/@href")


def test_someone_who_may_not_view_the_project_gets_403(client, engine):
    iid = _reviewed_project(engine)
    login(client, "ray")
    assert client.get(f"/projects/{iid}/dossier").status_code == 403
