"""Call activities as spiff-arena runs them: a called process is found by id among everything
deployed, runs the version that is the latest when the call starts, and keeps it; forms are
found beside each process's own BPMN file. On both databases, and with every step on a fresh
engine as if in another process (tests/data/call_*/)."""
from __future__ import annotations

import pytest

from engine import DeployError

from ..conftest import DATA

ACROSS = DATA / "call_across"
pytestmark = pytest.mark.across_processes


def open_task(eng, iid, bpmn_id):
    (task,) = [t for t in eng.instance(iid).tasks if t.bpmn_id == bpmn_id]
    return task


def describe(eng, item: str) -> str:
    """Start a purchase request as amy and describe it; the call to price_check starts then."""
    iid = eng.start("purchase_request", "amy")
    eng.complete(open_task(eng, iid, "describe").id, "amy", {"item": item})
    return iid


@pytest.mark.core_path
def test_a_call_runs_the_called_process_deployed_on_its_own_and_keeps_its_version_while_v2_arrives(eng):
    eng.deploy(ACROSS / "called_v1")
    eng.deploy(ACROSS / "caller")
    eng.groups.create("Purchasing", "zed")
    eng.groups.add_member("Purchasing", "bob", "zed")
    waiting = describe(eng, "Laptop")
    quote = open_task(eng, waiting, "quote_price")
    assert (quote.group, quote.lane) == ("group:Purchasing", "purchasing")     # the call activity's lane
    assert eng.task(quote.id, "bob").form["title"] == "Quote (version 1)"
    seen = eng.task(quote.id, "bob")
    assert (seen.instructions, seen.data["item"]) == ("Find a price for **{{ item }}**.", "Laptop")

    assert [r["version"] for r in eng.deploy(ACROSS / "called_v2")] == [2]
    later = describe(eng, "Desk")
    new_quote = open_task(eng, later, "quote_price")
    assert eng.task(new_quote.id, "bob").form["title"] == "Quote (version 2)"
    assert [(c["process_id"], c["version"]) for c in eng.instance(waiting).calls] == [("price_check", 1)]
    assert [(c["process_id"], c["version"]) for c in eng.instance(later).calls] == [("price_check", 2)]
    assert eng.instance(waiting).version == eng.instance(later).version == 1      # the callers' own version

    eng.complete(quote.id, "bob", {"quote": {"price": 32000}})                  # v1 asks for no supplier
    confirm = open_task(eng, waiting, "confirm")
    assert eng.task(confirm.id, "amy").data["quote"] == {"price": 32000}     # the call's answer came back
    eng.complete(confirm.id, "amy", {})
    view = eng.instance(waiting)
    assert (view.status, view.data["quote"]) == ("completed", {"price": 32000})
    assert [e.bpmn_id for e in view.history if e.kind == "called"] == ["check_price"]

    eng.complete(new_quote.id, "bob", {"quote": {"price": 9000, "supplier": "Chair Co."}})
    eng.complete(open_task(eng, later, "confirm").id, "amy", {})
    assert eng.instance(later).data["quote"] == {"price": 9000, "supplier": "Chair Co."}


def test_a_call_that_has_not_started_yet_takes_the_version_deployed_meanwhile(eng):
    eng.deploy(ACROSS / "called_v1")
    eng.deploy(ACROSS / "caller")
    iid = eng.start("purchase_request", "amy")              # waits before the call: nothing chosen yet
    assert eng.instance(iid).calls == []
    eng.deploy(ACROSS / "called_v2")
    eng.complete(open_task(eng, iid, "describe").id, "amy", {"item": "Phone"})
    assert [(c["activity"], c["version"]) for c in eng.instance(iid).calls] == [("check_price", 2)]
    assert "Supplier" in str(open_task(eng, iid, "quote_price").form)


def test_a_caller_is_refused_while_the_process_it_calls_is_not_deployed(eng):
    with pytest.raises(DeployError) as caught:
        eng.deploy(ACROSS / "caller")
    assert caught.value.element == "check_price" and "price_check" in str(caught.value)
    assert eng.instances() == []


def test_a_bundled_called_process_uses_the_form_beside_its_own_bpmn_file(eng):
    deployed = eng.deploy(DATA / "call_bundled")
    assert sorted((r["process_id"], r["version"]) for r in deployed) == [("sample_approval", 1), ("sample_order", 1)]
    iid = eng.start("sample_order", "amy")
    order = open_task(eng, iid, "order_samples")
    assert order.form["title"] == "Samples"
    eng.complete(order.id, "amy", {"samples": 3})
    approve = open_task(eng, iid, "approve_samples")
    assert approve.form["title"] == "Approval"
    eng.complete(approve.id, "amy", {"approved": True})
    view = eng.instance(iid)
    assert (view.status, view.data["samples"], view.data["approved"]) == ("completed", 3, True)
