"""The ledger's events on the account's timeline, in words."""
from __future__ import annotations

from flask_babel import gettext as _

from engine.workspace.views import AccountEvent

from .labels import activity_label, gift_status_label


def ledger_texts(event: AccountEvent, contact_names: dict[str, str]) -> dict[str, str]:
    """What each ledger event kind says, for the account's timeline."""
    meta = event.meta
    name = contact_names.get(meta.get("contact_id", ""), _("a person"))
    return {
        "activity_recorded": _("%(kind)s with %(name)s", kind=activity_label(meta.get("kind")), name=name),
        "target_set": _("Set a target stage for %(name)s", name=name),
        "target_cleared": _("Cleared the target stage for %(name)s", name=name),
        "gift_recorded": _("Recorded a gift or hospitality for %(name)s: %(status)s", name=name,
                           status=gift_status_label(meta.get("status"))),
        "gift_decided": _("Compliance decided on a gift for %(name)s: %(status)s", name=name,
                          status=gift_status_label(meta.get("status"))),
    }
