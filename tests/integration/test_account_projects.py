"""Projects belong to accounts: forms open pre-filled from the account, completing them writes
back, and the project keeps what was submitted (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest

from engine import NotAllowed, ValidationFailed
from engine.demo import PROCESS, answer

from ..conftest import DATA


@pytest.fixture
def metro(kam_eng):
    """An account amy looks after, with a decision maker, an influencer and a competitor."""
    account_id = kam_eng.accounts.create("amy", {
        "name": "台北捷運公司", "account_type": "national", "industry": "Public transport",
        "criteria": {"sales_volume": 5, "technology_absorption": 4, "market_strength": 4, "financial_health": 5}})
    eng = kam_eng.accounts
    lin = eng.add_contact(account_id, "amy", {"name": "林主任", "title": "CIO", "department": "IT",
                                              "decision_role": "decision_maker", "top_executive": True, "leader": True})
    chen = eng.add_contact(account_id, "amy", {"name": "陳經理", "title": "Head of procurement",
                                               "decision_role": "influencer", "reports_to_id": lin})
    acme = eng.add_competitor(account_id, "amy", {"name": "Acme Systems", "customer_satisfaction": 2,
                                                  "sales_reps": [{"name": "Mr. Lee", "sales_approach": "Price-led"}]})
    return account_id, lin, chen, acme


def task(eng, iid: str, bpmn_id: str, user: str = "amy"):
    found = next(t for t in eng.instance(iid).tasks if t.bpmn_id == bpmn_id)
    return eng.task(found.id, user)


def complete(eng, iid: str, bpmn_id: str, data: dict, user: str = "amy") -> None:
    eng.complete(task(eng, iid, bpmn_id, user).id, user, data)


def test_a_project_started_on_an_account_opens_its_forms_pre_filled_from_it(kam_eng, metro):
    account_id, lin, chen, acme = metro
    iid = kam_eng.start(PROCESS, "amy", {"project_name": "票務系統", "account_id": account_id})
    assert kam_eng.instance(iid).data["account_id"] == account_id
    customer = task(kam_eng, iid, "customer_info").values["customer"]
    assert (customer["name"], customer["account_type"], customer["industry"]) == \
        ("台北捷運公司", "national", "Public transport")
    assert customer["criteria"]["sales_volume"] == 5
    assert customer["leaders"] == [{"contact_id": lin, "name": "林主任", "title": "CIO", "department": "IT"}]
    competitors = task(kam_eng, iid, "competitor_info").values["competitors"]
    assert competitors == [{"competitor_id": acme, "competitor": "Acme Systems", "customer_satisfaction": 2,
                            "sales_reps": [{"name": "Mr. Lee", "sales_approach": "Price-led"}]}]
    makers = task(kam_eng, iid, "decision_makers").values["decision_makers"]
    assert [(p["contact_id"], p["name"], p["role"], p["top_executive"]) for p in makers] == \
        [(lin, "林主任", "decision_maker", True)]
    participants = task(kam_eng, iid, "decision_participants").values["decision_participants"]
    assert [(p["contact_id"], p["role"]) for p in participants] == [(chen, "influencer")]
    started = kam_eng.accounts.get(account_id, "amy").timeline[0]
    assert (started.kind, started.meta["instance_id"]) == ("project_started", iid)


def test_completed_forms_write_back_and_the_project_keeps_what_was_submitted(kam_eng, metro):
    account_id, lin, chen, acme = metro
    iid = kam_eng.start(PROCESS, "amy", {"project_name": "票務系統", "account_id": account_id})
    customer = task(kam_eng, iid, "customer_info").values["customer"]
    complete(kam_eng, iid, "customer_info", {"customer": {**customer, "industry": "Rail transport",
                                                          "purchasing_department": "Procurement office"}})
    rows = task(kam_eng, iid, "competitor_info").values["competitors"]
    rows[0]["sales_reps"].append({"name": "Ms. Ho", "relationship_with_customer": "Trusted by the CIO"})
    complete(kam_eng, iid, "competitor_info", {"competitors": rows + [{"competitor": "Beta Corp"}]})
    makers = task(kam_eng, iid, "decision_makers").values["decision_makers"]
    makers[0].update(title="Chief information officer", relationship_stage="engagement")   # read-only: ignored
    makers.append({"name": "王總經理", "title": "General manager", "role": "decision_maker", "top_executive": True})
    complete(kam_eng, iid, "decision_makers", {"decision_makers": makers})
    complete(kam_eng, iid, "decision_participants", answer("decision_participants"))
    complete(kam_eng, iid, "project_info", answer("project_info"))

    view = kam_eng.accounts.get(account_id, "amy")
    assert (view.industry, view.purchasing_department) == ("Rail transport", "Procurement office")
    people = {c.name: c for c in view.contacts}
    assert (people["林主任"].title, people["林主任"].relationship_stage) == ("Chief information officer", None)
    assert (people["王總經理"].decision_role, people["王總經理"].top_executive,
            people["王總經理"].relationship_stage) == ("decision_maker", True, None)
    assert people["Mr. Wu"].decision_role == "user" and people["陳經理"].decision_role == "influencer"
    assert kam_eng.accounts.contact(people["王總經理"].id, "amy").stage_history == []
    assert [(c.name, [r.name for r in c.sales_reps]) for c in view.competitors] == \
        [("Acme Systems", ["Mr. Lee", "Ms. Ho"]), ("Beta Corp", [])]
    applied = [e for e in view.timeline if e.kind == "project_answer_applied"]
    assert sorted(e.meta["section"] for e in applied) == ["competitors", "customer", "decision_makers",
                                                          "decision_participants"]
    assert all(e.meta["instance_id"] == iid for e in applied)

    kam_eng.accounts.update(account_id, "amy", {"name": "台北大眾捷運股份有限公司", "account_type": "national"})
    kept = kam_eng.instance(iid).data
    assert kept["customer"]["name"] == "台北捷運公司" and kept["customer"]["industry"] == "Rail transport"
    assert len(kept["decision_makers"]) == 2
    assert kam_eng.verify_audit() == []


def test_a_form_shows_the_ledger_s_stage_and_never_sets_it_and_the_project_keeps_the_stage_it_saw(kam_eng, metro):
    account_id, lin, _chen, _acme = metro
    kam_eng.ledger.record_activity(lin, "amy", {"kind": "technical_exchange", "occurred_on": "2026-01-05"})
    first = kam_eng.start(PROCESS, "amy", {"project_name": "第一案", "account_id": account_id})
    makers = task(kam_eng, first, "decision_makers").values["decision_makers"]
    assert makers[0]["relationship_stage"] == "engagement"
    complete(kam_eng, first, "decision_makers", {"decision_makers": [{**makers[0], "relationship_stage": "alliance"}]})
    contact = kam_eng.accounts.contact(lin, "amy")
    assert contact.relationship_stage == "engagement"
    assert [(h.to_stage, h.cause) for h in contact.stage_history] == [("engagement", "activity")]
    (submitted,) = [e.data for e in kam_eng.instance(first).history if e.kind == "completed"]
    assert submitted["decision_makers"][0]["relationship_stage"] == "engagement"


def test_a_project_started_without_an_account_creates_it_from_the_customer_form(kam_eng):
    iid = kam_eng.start(PROCESS, "amy", {"project_name": "長榮物流"})
    complete(kam_eng, iid, "competitor_info", answer("competitor_info"))        # before the account exists
    complete(kam_eng, iid, "customer_info", answer("customer_info"))
    account_id = kam_eng.instance(iid).account_id
    view = kam_eng.accounts.get(account_id, "amy")
    assert (view.name, view.owner, view.qualification_score) == ("台北捷運公司 Taipei Metro", "amy", 88)
    assert [c.name for c in view.contacts] == ["Director Lin"] and view.contacts[0].leader
    assert [c.name for c in view.competitors] == ["Acme Systems"]
    assert [p.id for p in view.projects] == [iid]
    complete(kam_eng, iid, "decision_makers", answer("decision_makers"))
    assert {c.name: c.decision_role for c in kam_eng.accounts.get(account_id, "amy").contacts} == \
        {"Director Lin": "decision_maker", "Ms. Chen": "influencer"}


def test_a_rep_starts_projects_only_on_accounts_they_look_after(kam_eng, metro):
    account_id = metro[0]
    with pytest.raises(ValidationFailed) as refused:
        kam_eng.start(PROCESS, "ann", {"project_name": "Not mine", "account_id": account_id})
    assert [e.path for e in refused.value.errors] == ["$.account_id"]
    with pytest.raises(ValidationFailed):
        kam_eng.start(PROCESS, "amy", {"project_name": "No such", "account_id": "missing"})
    assert kam_eng.instances() == []


def test_the_account_team_sees_its_projects_and_outsiders_do_not(kam_eng, metro):
    account_id = metro[0]
    iid = kam_eng.start(PROCESS, "amy", {"project_name": "票務系統", "account_id": account_id})
    assert not kam_eng.may_view(iid, "ann")
    kam_eng.accounts.set_our_side(account_id, "amy", {"owner": "amy", "team": ["ann"]})
    assert kam_eng.may_view(iid, "ann")
    with pytest.raises(NotAllowed):
        kam_eng.accounts.get(account_id, "nobody")


def test_only_key_account_projects_are_listed_as_projects(kam_eng):
    kam_eng.deploy(DATA / "manual_steps")
    project = kam_eng.start(PROCESS, "amy", {"project_name": "票務系統"})
    other = kam_eng.start("manual_steps", "amy")
    assert [i["id"] for i in kam_eng.instances(owner="amy", projects_only=True)] == [project]
    assert {i["id"] for i in kam_eng.instances(owner="amy")} == {project, other}
