"""Events about an account and everything under it, on its own audit stream `account:<id>`.

Kinds: account_created, account_updated, team_changed, contact_added, contact_updated,
contact_removed, stage_changed, competitor_added, competitor_updated, competitor_removed,
project_started and project_answer_applied (a project's form written back); the relationship
ledger adds activity_recorded, target_set, target_cleared, gift_recorded and gift_decided; a
leaver's handover adds account_handed_over, contact_handed_over and stage_confirmed.
`meta` holds ids, codes, amounts and field names; names and free text (notes, what was given,
reasons) go in the erasable payload (docs/audit.md).
"""
from __future__ import annotations

from .. import auditlog


def record(ctx, uow, account_id: str, kind: str, actor: str | None, meta: dict | None = None,
           payload: dict | None = None) -> None:
    auditlog.record(uow.session, auditlog.account_stream(account_id), kind, actor, ctx.clock(),
                    meta=meta, payload=payload)
