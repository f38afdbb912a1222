"""The voting rule reads the deal size in the base currency, converted by the admins' dated rates."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine import NotAllowed, ProcessError, ValidationFailed
from engine.demo import INFORMATION, answer, complete_open

P = "key_account_development"


def _to_committee(eng, amount, currency) -> str:
    iid = eng.start(P, "amy", {"project_name": f"{amount} {currency}"})
    for bpmn_id in INFORMATION:
        data = answer(bpmn_id)
        if bpmn_id == "project_info":
            data["project"].update(budget_amount=amount, budget_currency=currency)
        eng.complete(next(t.id for t in eng.instance(iid).tasks if t.bpmn_id == bpmn_id), "amy", data)
    complete_open(eng, iid, "proposal")
    complete_open(eng, iid, "manager_review")
    return iid


@pytest.fixture
def rates(kam_eng):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2020-01-01", "rate": 30})
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": yesterday, "rate": 32})
    return kam_eng


def test_the_voting_rule_decides_on_the_deal_size_converted_into_twd(rates):
    small = rates.instance(_to_committee(rates, 50_000, "USD")).data         # 1.6 million TWD
    large = rates.instance(_to_committee(rates, 400_000, "USD")).data        # 12.8 million TWD
    assert (small["deal_size"], small["deal_currency"], small["voting_rule"]) == (1_600_000, "TWD", "two_thirds")
    assert (large["deal_size"], large["voting_rule"]) == (12_800_000, "unanimous")
    assert small["project"]["budget_amount"] == 50_000                        # what was typed is kept
    assert rates.verify_audit() == []


def test_a_deal_in_a_currency_without_a_rate_stops_at_the_committee_step_until_an_admin_adds_one(rates):
    iid = rates.start(P, "amy", {"project_name": "Euro deal"})
    for bpmn_id in INFORMATION:
        data = answer(bpmn_id)
        if bpmn_id == "project_info":
            data["project"]["budget_currency"] = "EUR"
        rates.complete(next(t.id for t in rates.instance(iid).tasks if t.bpmn_id == bpmn_id), "amy", data)
    complete_open(rates, iid, "proposal")
    with pytest.raises(ProcessError, match="EUR to TWD") as caught:
        complete_open(rates, iid, "manager_review")
    rates.rates.set("zed", {"currency": "EUR", "valid_from": "2020-01-01", "rate": 35})
    rates.retry(caught.value.incident_id, "zed")
    assert rates.instance(iid).data["voting_rule"] == "unanimous"            # 2.5 M EUR = 87.5 M TWD


def test_only_admins_set_rates_and_a_bad_rate_names_its_field(rates):
    with pytest.raises(NotAllowed):
        rates.rates.set("bob", {"currency": "JPY", "valid_from": "2026-01-01", "rate": 0.21})
    with pytest.raises(ValidationFailed) as caught:
        rates.rates.set("zed", {"currency": "JPY", "valid_from": "soon", "rate": -1})
    assert {e.path for e in caught.value.errors} == {"$.valid_from", "$.rate"}
    assert [(r.currency, r.rate) for r in rates.rates.list()][0] == ("USD", 32)
