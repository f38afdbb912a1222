"""The home page per role, beside the inbox: what a manager, a committee member and a rep each
need first. A manager sees her department's pipeline with its value and the reviews overdue on
her desk; a committee member sees the votes waiting for her apart from her other tasks; a rep
(everyone) sees her projects by step and the overdue work among them. Each part is one engine
call, made only for the role that shows it."""
from __future__ import annotations

from flask import g
from flask_babel import gettext as _

from ..common.current import engine, me, user
from ..common.fields import waiting_label
from ..reports.tables import RULES, amount
from ..tasks.page import display_names


def overdue() -> list:
    """The overdue work this user may see by whom and step it waits on (counts, not its tasks),
    read once per request: the page shows it twice (a manager's reviews overdue on her desk,
    and the overdue work among all her projects)."""
    if "overdue" not in g:
        g.overdue = engine().reports.overdue_groups(me())
    return g.overdue


def _overdue_reviews() -> list[tuple[object, str]]:
    """(overdue row, whom it waits on) for the reviews waiting on this manager or her department's managers."""
    mine = {me(), f"manager:{user().department}"}
    names = display_names()
    return [(r, waiting_label(r.waiting_on) if r.group else names.get(r.waiting_on, r.waiting_on))
            for r in overdue() if r.waiting_on in mine]


def context() -> dict:
    groups = set(user().groups)
    manager = "manager" in groups
    votes = engine().reports.votes_waiting(me()) if "committee" in groups or "chair" in groups else []
    return {"manager_home": manager, "base_currency": engine().rates.base, "amount": amount,
            "overdue_reviews": _overdue_reviews() if manager else [],
            "votes_waiting": [(v, _(RULES[v.voting_rule]) if v.voting_rule in RULES else v.voting_rule) for v in votes]}
