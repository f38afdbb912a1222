"""The demo a first visitor sees: accounts of every type, each project on its own customer and
at its own point of stage 1, people at every relationship stage built by a year of activities,
and a gift waiting for compliance. On both databases, through the engine's own use cases."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from engine import Engine, demo
from engine.demo_showcase import CUSTOMERS

from ..conftest import ROOT


def test_the_demo_shows_the_product_at_work(db_url):
    eng = Engine(db_url, forms_dir=ROOT / "forms")
    try:
        eng.deploy(ROOT / "workflows")
        assert demo.seed(eng)
        accounts = eng.accounts.list("zoe").accounts
        assert Counter(a.account_type for a in accounts) == {"global": 3, "national": 3, "regional": 3}
        assert len({a.name for a in accounts}) == len(accounts) == len(CUSTOMERS)

        projects = eng.instances(projects_only=True)
        assert len({eng.instance(p["id"]).account_id for p in projects}) == len(projects) == 7
        # open steps as sorted tuples: a set's repr follows the string hash seed, so sets sorted by repr
        # compared equal sets in different orders in some runs
        states = Counter((p["status"], p.get("outcome") or "",
                          tuple(sorted({t.bpmn_id for t in eng.instance(p["id"]).tasks}))) for p in projects)
        assert states == Counter([
            ("running", "", ("decision_makers", "decision_participants", "project_info")),     # gathering information
            ("running", "", ("manager_review",)),
            ("running", "", ("proposal",)),                                                     # returned to the rep
            ("running", "", ("committee_vote",)),
            ("completed", "established", ()), ("completed", "declined", ()), ("completed", "withdrawn", ()),
        ])
        returned = next(p["id"] for p in projects if {t.bpmn_id for t in eng.instance(p["id"]).tasks} == {"proposal"})
        assert any(e.bpmn_id == "manager_review" for e in eng.instance(returned).history)

        stages, oldest = Counter(), date.today()
        for account in accounts:
            for contact in eng.accounts.get(account.id, "zoe").contacts:
                stages[contact.relationship_stage] += 1
                ledger = eng.ledger.of_contact(contact.id, "zoe")
                oldest = min([oldest, *(a.occurred_on for a in ledger.activities)])
        assert set(stages) == {"acquaintance", "engagement", "trust", "alliance"}
        assert oldest <= date.today() - timedelta(days=300)          # relationships built over the past year

        (gift,) = eng.instances(requests_only=True)
        assert gift["process_id"] == "gift_approval" and eng.tasks("eve")[0].instance_id == gift["id"]
    finally:
        eng.close()
