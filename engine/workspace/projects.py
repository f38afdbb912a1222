"""Where a process meets the workspace: projects belong to accounts.

Two BPMN conventions (docs/process.md) make a process a *key-account process*:
- `accountField` on the `bpmn:process`: its instances are key-account projects, and this
  data field holds the id of the account the project belongs to. A project may start on an
  account the starter may change; started without one, the account is created from the
  customer form when it is first completed.
- `accountSection` on a user task (`customer`, `competitors`, `decision_makers`,
  `decision_participants`): the form opens pre-filled from the account (unless this project
  answered it already) and its answer is written back to the account on completion. The
  project's own data keeps what was submitted, whatever the account becomes later.
The engine's use cases call the three functions below; nothing else here knows a process.
"""
from __future__ import annotations

from sqlalchemy import select

from .. import auditlog
from ..catalog import latest_definition
from ..db.schema import AuditEvent, Definition, Instance
from ..db.workspace import Account
from ..errors import FieldError, ValidationFailed
from . import access, audit, sections
from .accounts import create as create_account


def project_processes(ctx, session) -> list[str]:
    """The ids of the deployed processes whose instances are key-account projects."""
    ids = session.scalars(select(Definition.process_id).distinct())
    return sorted(pid for pid in ids if ctx.models.get(latest_definition(session, pid)).account_field)


def link_at_start(ctx, uow, model, values: dict, username: str, inst: Instance) -> None:
    """Tie a new project to the account its start data names (the starter must be able to change it)."""
    field = model.account_field
    if not field or not values.get(field):
        return
    account = uow.session.get(Account, values[field]) if isinstance(values[field], str) else None
    if account is None or not access.may_edit(uow, account, uow.directory.find(username)):
        raise ValidationFailed([FieldError(f"$.{field}", "choose an account you look after")])
    inst.account_id, inst.account_name = account.id, account.name
    uow.session.flush()
    audit.record(ctx, uow, account.id, "project_started", username,
                 meta={"instance_id": inst.id, "number": inst.number}, payload={"project_name": inst.project_name})


def prefill(uow, inst: Instance, model, bpmn_id: str, task_data: dict, schema: dict | None) -> dict:
    """The form's account section as the account holds it, for a form this project has not answered."""
    section = model.account_sections.get(bpmn_id)
    if not section or not schema or section in task_data or not inst.account_id:
        return {}
    account = uow.session.get(Account, inst.account_id)
    node = (schema.get("properties") or {}).get(section)
    return {section: sections.prefill(uow.session, account, section, node)} if account and node else {}


def write_back(ctx, uow, inst: Instance, model, bpmn_id: str, values: dict, username: str) -> dict:
    """Apply a completed form's section to the project's account; returns data the process should
    keep too (the id of an account the customer form just created)."""
    section = model.account_sections.get(bpmn_id)
    if not section or section not in values or not model.account_field:
        return {}
    kept = {}
    if inst.account_id is None:
        if section != "customer":
            return {}              # applied with the customer form, which creates the account
        account_id = _create_from_customer(ctx, uow, inst, values["customer"], username)
        if account_id is None:
            return {}
        kept = {model.account_field: account_id}
        _apply_earlier_answers(ctx, uow, inst, model, username)
    _apply(ctx, uow, inst, model, bpmn_id, section, values[section], username)
    return kept


def _create_from_customer(ctx, uow, inst: Instance, customer, username: str) -> str | None:
    if not isinstance(customer, dict) or not customer.get("name") or not customer.get("account_type"):
        return None
    account_id = create_account(ctx, uow, inst.owner, {"name": customer["name"],
                                                       "account_type": customer["account_type"]})
    inst.account_id = account_id
    uow.session.flush()
    audit.record(ctx, uow, account_id, "project_started", username,
                 meta={"instance_id": inst.id, "number": inst.number}, payload={"project_name": inst.project_name})
    return account_id


def _apply(ctx, uow, inst, model, bpmn_id, section, value, username) -> None:
    account = uow.session.get(Account, inst.account_id)
    node = ((model.form(model.user_tasks.get(bpmn_id, (None, None))[0]) or {}).get("properties") or {}).get(section)
    if account is None or node is None:
        return
    meta = {"instance_id": inst.id, "bpmn_id": bpmn_id, "section": section}
    if not access.may_edit(uow, account, uow.directory.find(username)):
        audit.record(ctx, uow, account.id, "project_answer_skipped", username, meta=meta)
        return
    changed = sections.write_back(ctx, uow, account, section, value, node, username, inst.id)
    account.updated_at = ctx.clock()
    inst.account_name = account.name
    payload = {k: changed.pop(k) for k in ("before", "after") if k in changed}
    audit.record(ctx, uow, account.id, "project_answer_applied", username, meta={**meta, **changed},
                 payload=payload or None)


def _apply_earlier_answers(ctx, uow, inst, model, username) -> None:
    """Sections this project answered before its account existed (forms run in any order)."""
    events = uow.session.scalars(select(AuditEvent).where(
        AuditEvent.stream == auditlog.instance_stream(inst.id), AuditEvent.kind == "completed")
        .order_by(AuditEvent.seq))
    latest = {e.bpmn_id: e.id for e in events if model.account_sections.get(e.bpmn_id or "") not in (None, "customer")}
    answers = auditlog.payloads(uow.session, list(latest.values()))
    for bpmn_id, event_id in latest.items():
        section = model.account_sections[bpmn_id]
        if section in answers.get(event_id, {}):
            _apply(ctx, uow, inst, model, bpmn_id, section, answers[event_id][section], username)
