"""The gifts register with compliance approval run by the engine (a lane reaching the
`compliance` group), and decision-unit coverage at the proposal step; both databases."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine import NotAllowed, ValidationFailed
from engine.demo import PROCESS, answer

SETTINGS = {"going_cold_days": 60, "gift_threshold_amount": "3000", "gift_threshold_currency": "TWD",
            "coverage_mode": "warn"}


@pytest.fixture
def metro(kam_eng):
    kam_eng.groups.create("compliance", "zed", "Checks gifts and hospitality")
    for member in ("amy", "cid"):                      # amy too: she still never approves her own gift
        kam_eng.groups.add_member("compliance", member, "zed")
    account_id = kam_eng.accounts.create("amy", {"name": "台北捷運公司", "account_type": "national"})
    lin = kam_eng.accounts.add_contact(account_id, "amy", {"name": "林主任", "decision_role": "decision_maker"})
    mayor = kam_eng.accounts.add_contact(account_id, "amy", {"name": "張局長", "title": "交通局長",
                                                             "decision_role": "influencer", "public_official": True})
    return account_id, lin, mayor


def gift(contact_id, amount, currency="TWD", **more):
    return {"contact_id": contact_id, "kind": "gift", "description": "中秋禮盒", "given_on": "2026-09-20",
            "amount": amount, "currency": currency, **more}


def review_task(eng, gift_id):
    iid = eng.ledger.gift(gift_id, "amy").instance_id
    (open_task,) = [t for t in eng.instance(iid).tasks if t.state == "open"]
    return iid, open_task


def test_a_small_gift_is_only_recorded_and_one_above_the_threshold_waits_for_compliance(kam_eng, metro):
    account_id, lin, _mayor = metro
    small = kam_eng.ledger.record_gift(account_id, "amy", gift(lin, 800))
    assert (kam_eng.ledger.gift(small, "amy").status, kam_eng.ledger.gift(small, "amy").instance_id) == ("recorded", None)
    big = kam_eng.ledger.record_gift(account_id, "amy", gift(lin, 12_000, description="高爾夫球具"))
    view = kam_eng.ledger.gift(big, "amy")
    assert (view.status, view.review_reasons, view.amount) == ("pending", ["threshold"], Decimal("12000.00"))
    iid, review = review_task(kam_eng, big)
    assert (review.bpmn_id, review.group) == ("compliance_review", "group:compliance")
    assert [t.id for t in kam_eng.tasks("amy") if t.id == review.id] == []      # no self-approval
    with pytest.raises(NotAllowed):
        kam_eng.complete(review.id, "amy", {"compliance_review": {"decision": "approve"}})
    kam_eng.complete(review.id, "cid", {"compliance_review": {"decision": "approve", "comment": "符合規定"}})
    view = kam_eng.ledger.gift(big, "amy")
    assert (view.status, view.decision_reason, view.decided_by) == ("approved", "符合規定", "cid")
    assert kam_eng.instance(iid).status == "completed"
    assert [i["id"] for i in kam_eng.instances(owner="amy", projects_only=True)] == []   # not a project
    kinds = [e.kind for e in reversed(kam_eng.accounts.get(account_id, "amy").timeline)]
    assert kinds[-3:] == ["gift_recorded", "gift_recorded", "gift_decided"]


def test_any_gift_to_a_public_official_waits_for_compliance_and_a_decline_needs_a_reason(kam_eng, metro):
    account_id, _lin, mayor = metro
    gift_id = kam_eng.ledger.record_gift(account_id, "amy", gift(mayor, 500, kind="hospitality"))
    assert kam_eng.ledger.gift(gift_id, "amy").review_reasons == ["public_official"]
    iid, review = review_task(kam_eng, gift_id)
    assert kam_eng.instance(iid).project_name == "張局長"
    with pytest.raises(ValidationFailed) as refused:
        kam_eng.complete(review.id, "cid", {"compliance_review": {"decision": "decline", "comment": " "}})
    assert [e.path for e in refused.value.errors] == ["$.compliance_review.comment"]
    assert kam_eng.ledger.gift(gift_id, "amy").status == "pending"
    kam_eng.complete(review.id, "cid", {"compliance_review": {"decision": "decline", "comment": "公務員不得收受招待"}})
    view = kam_eng.ledger.gift(gift_id, "amy")
    assert (view.status, view.decision_reason) == ("declined", "公務員不得收受招待")


def test_gifts_refuse_bad_input_by_field_and_other_currencies_go_to_compliance(kam_eng, metro):
    account_id, lin, _mayor = metro
    other = kam_eng.accounts.create("ann", {"name": "高雄港務", "account_type": "regional"})
    stranger = kam_eng.accounts.add_contact(other, "ann", {"name": "外人"})
    with pytest.raises(ValidationFailed) as refused:
        kam_eng.ledger.record_gift(account_id, "amy", gift(stranger, -1, currency="XYZ", description=""))
    assert {e.path for e in refused.value.errors} == {"$.amount", "$.currency", "$.description"}
    with pytest.raises(ValidationFailed) as refused:
        kam_eng.ledger.record_gift(account_id, "amy", gift(stranger, 100))
    assert [e.path for e in refused.value.errors] == ["$.contact_id"]
    usd = kam_eng.ledger.record_gift(account_id, "amy", gift(lin, 50, currency="USD"))
    assert kam_eng.ledger.gift(usd, "amy").review_reasons == ["other_currency"]     # no rate to compare it by
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2026-01-01", "rate": 31.5})
    small, large = (kam_eng.ledger.record_gift(account_id, "amy", gift(lin, usd, currency="USD")) for usd in (50, 200))
    assert [kam_eng.ledger.gift(g, "amy").review_reasons for g in (small, large)] == [[], ["threshold"]]  # 1,575 / 6,300 TWD
    with pytest.raises(NotAllowed):
        kam_eng.ledger.record_gift(account_id, "cat", gift(lin, 100))


def test_the_proposal_warns_or_when_set_to_blocks_while_no_decision_maker_is_beyond_acquaintance(kam_eng, metro):
    account_id, lin, mayor = metro
    iid = kam_eng.start(PROCESS, "amy", {"project_name": "票務系統", "account_id": account_id})
    for bpmn_id in ("customer_info", "competitor_info", "project_info", "decision_makers", "decision_participants"):
        t = next(t for t in kam_eng.instance(iid).tasks if t.bpmn_id == bpmn_id)
        kam_eng.complete(t.id, "amy", answer(bpmn_id))
    kam_eng.ledger.record_activity(lin, "amy", {"kind": "phone_contact", "occurred_on": "2026-01-05"})
    kam_eng.ledger.record_activity(mayor, "amy", {"kind": "social_event", "occurred_on": "2026-01-06"})
    coverage = kam_eng.ledger.coverage(iid, "amy")
    assert [(p.name, p.stage) for p in coverage.by_stage["acquaintance"]] == [("林主任", "acquaintance")]
    assert [p.name for p in coverage.by_stage["trust"]] == ["張局長"]          # an influencer does not count
    assert coverage.warning and coverage.mode == "warn"
    kam_eng.ledger.change_settings("zed", {**SETTINGS, "coverage_mode": "block"})
    proposal = next(t for t in kam_eng.instance(iid).tasks if t.bpmn_id == "proposal")
    with pytest.raises(ValidationFailed) as refused:
        kam_eng.complete(proposal.id, "amy", answer("proposal"))
    assert [e.path for e in refused.value.errors] == ["$"]
    assert next(t for t in kam_eng.instance(iid).tasks if t.bpmn_id == "proposal").state == "open"
    kam_eng.ledger.record_activity(lin, "amy", {"kind": "reference_visit", "occurred_on": "2026-01-07"})
    assert not kam_eng.ledger.coverage(iid, "amy").warning
    kam_eng.complete(proposal.id, "amy", answer("proposal"))
    assert any(t.bpmn_id == "manager_review" and t.state == "open" for t in kam_eng.instance(iid).tasks)
    with pytest.raises(NotAllowed):
        kam_eng.ledger.coverage(iid, "ann")
