"""The ledger's codes in the page's language, for every template."""
from __future__ import annotations

from flask_babel import gettext as _

from ..common.fields import N_

# Engine field messages the ledger's forms can show, for the catalog.
ENGINE_MESSAGES = (
    N_("rises only with a recorded marker activity of that stage or higher"),
    N_("say why the relationship has fallen back"), N_("cannot be in the future"),
    N_("only decision makers have a target stage"), N_("say why the gift is declined"),
    N_("must be a whole number of days from 1 to 3650"), N_("must be an amount of 0 or more"),
    N_("no decision maker is beyond acquaintance yet: record the activities that moved a relationship on"),
)


def activity_label(kind: str | None) -> str:
    return {
        "phone_contact": _("Phone contact"), "scheduled_visit": _("Scheduled visit"), "small_gift": _("Small gift"),
        "business_meal": _("Business meal or event"), "reference_visit": _("Visit to a local reference customer"),
        "technical_exchange": _("Technical exchange"), "test_and_samples": _("Tests and samples"),
        "social_event": _("Social event"), "family_activity": _("Family activity"),
        "out_of_town_visit": _("Out-of-town visit"), "valuable_gift": _("Valuable gift"),
        "introductions": _("Introductions (穿針引線)"), "internal_guide": _("Acts as our guide (internal information)"),
        "firm_support": _("Firm support"), "other": _("Other"),
    }.get(kind or "", kind or "")


def gift_kind_label(kind: str | None) -> str:
    return {"gift": _("Gift"), "hospitality": _("Hospitality")}.get(kind or "", kind or "")


def gift_status_label(status: str | None) -> str:
    return {"recorded": _("Recorded"), "pending": _("Awaiting compliance"), "approved": _("Approved by compliance"),
            "declined": _("Declined by compliance")}.get(status or "", status or "")


def review_reason_label(reason: str) -> str:
    return {"threshold": _("above the threshold"), "public_official": _("to a public official"),
            "other_currency": _("in a currency no exchange rate converts")}.get(reason, reason)


def cause_label(cause: str | None) -> str:
    return {"activity": _("after an activity"), "ledger": _("raised on recorded activities"),
            "fall": _("fell back"), "project_form": _("from a project form"),
            "confirmed": _("confirmed after a handover")}.get(cause or "", "")


LABELS = {f.__name__: f for f in (activity_label, gift_kind_label, gift_status_label, review_reason_label,
                                  cause_label)}
