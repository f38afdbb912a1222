"""Decision-unit coverage of a project (domain §4, §5.2): the account's decision makers and
influencers by relationship stage, read live from the ledger.

A proposal made while no decision maker is beyond acquaintance (認識) has nobody to carry it
inside the customer. A user task with `checkCoverage` (the proposal step) shows a warning
then, or, when the workspace setting `coverage_mode` is `block`, refuses to complete.
"""
from __future__ import annotations

from sqlalchemy import select

from ..db.schema import Instance
from ..db.workspace import Contact
from ..errors import FieldError, ValidationFailed
from .ledger_views import Coverage, CoveragePerson
from .rules import STAGES, stage_rank
from .settings import read as read_settings

ROLES = ("decision_maker", "influencer")
BLOCKED = "no decision maker is beyond acquaintance yet: record the activities that moved a relationship on"


def of_instance(session, inst: Instance) -> Coverage | None:
    """The coverage of a key-account project; None for an instance without an account."""
    if inst is None or not inst.account_id:
        return None
    people = [CoveragePerson(c.id, c.name, c.decision_role, c.relationship_stage) for c in session.scalars(
        select(Contact).where(Contact.account_id == inst.account_id, Contact.decision_role.in_(ROLES))
        .order_by(Contact.name))]
    people.sort(key=lambda p: (ROLES.index(p.decision_role), -stage_rank(p.stage), p.name))
    by_stage = {stage: [p for p in people if (p.stage or "") == stage] for stage in ("", *STAGES)}
    beyond = any(p.decision_role == "decision_maker" and stage_rank(p.stage) > 1 for p in people)
    return Coverage(inst.id, people, by_stage, beyond, read_settings(session).coverage_mode)


def check_before_completion(uow, inst: Instance, model, bpmn_id: str) -> None:
    """Refuse to complete a coverage-checking step while coverage is short and the setting blocks."""
    if bpmn_id not in model.checks_coverage:
        return
    coverage = of_instance(uow.session, inst)
    if coverage is not None and coverage.warning and coverage.mode == "block":
        raise ValidationFailed([FieldError("$", BLOCKED)], "The decision unit is not covered")
