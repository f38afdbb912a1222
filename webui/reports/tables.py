"""Each report as one table (headings and rows of text) and its chart: the page shows a page of
the rows and the CSV download writes every one of the very same rows, so the two cannot disagree."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from engine.workspace.rules import A_SHARE, B_SHARE

from ..accounts.labels import account_type_label
from ..accounts.timeline import stage_label
from ..common.fields import N_
from ..common.i18n import form_text
from . import pareto_chart, svg
from .paging import Rows

HOUR = 3600


@dataclass
class Table:
    columns: list[str]
    rows: Sequence[list[str]]                               # formatted when read (`paging.Rows`)
    chart: Markup | None = None
    notes: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    more: list["Part"] = field(default_factory=list)        # further tables, each with its own CSV


@dataclass
class Part:
    heading: str
    columns: list[str]
    rows: Sequence[list[str]]
    chart: Markup | None = None


def amount(value: Decimal | None) -> str:
    return "—" if value is None else format_decimal(value, format="#,##0")


def percent(share) -> str:
    return "—" if share is None else f"{float(share) * 100:.1f}".removesuffix(".0") + "%"


def hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / HOUR:.1f}"


def portfolio(report, names: dict[str, str]) -> Table:
    base = report.base

    def row(r) -> list[str]:
        return [str(r.rank or "—"), r.name, account_type_label(r.account_type), names.get(r.owner, r.owner),
                _("no rate") if r.no_rate else amount(r.revenue),
                "—" if r.amount is None else f"{amount(r.amount)} {r.currency}",
                percent(r.share), percent(r.cumulative), r.tier or "—", r.company_tier,
                "—" if r.score is None else str(r.score)]
    rows = Rows(report.rows, row)
    chart = pareto_chart.chart(report)
    notes = [_("Important by revenue: tier A are the accounts that make the first %(a)s of the year’s revenue, "
               "tier B the next %(b)s, tier C the rest; the ranking runs over all the accounts these filters "
               "select, on every page of the table.",
               a=percent(A_SHARE), b=percent(B_SHARE - A_SHARE)),
             _("Company tier: the same rule over all the company’s accounts, as the account list shows it. It "
               "differs from the tier in this view when the view shows only some accounts."),
             _("Qualified by criteria: the qualification score (0-100) from the four key-account criteria. "
               "It says whether an account fits, not how much it buys now."),
             _("Revenue is converted to %(currency)s at the rate valid on 31 December of that year (today for "
               "the current year); an account whose currency has no rate is shown as “no rate” and left out of "
               "the ranking.", currency=base)]
    summary = [_("Total revenue %(year)s: %(total)s %(currency)s.", year=report.year, total=amount(report.total),
                 currency=base)]
    if report.top_share is not None:
        summary.append(_("The top 20%% of accounts (%(n)s) make %(share)s of revenue.", n=report.top_count,
                         share=percent(report.top_share)))
    return Table([_("Rank"), _("Account"), _("Type"), _("Owner"), _("Revenue (%(currency)s)", currency=base),
                  _("Revenue as recorded"), _("Share"), _("Cumulative share"),
                  _("Tier in this view (by revenue)"), _("Company tier"), _("Qualification score (by criteria)")], rows, chart, notes, summary)


def pipeline(report) -> Table:
    rows = [[form_text(r.name) or r.step, r.tier or _("No account"), str(r.projects), amount(r.value), str(r.without_value)]
            for r in report.rows]
    steps: dict[str, float] = {}
    for row, r in zip(rows, report.rows):
        steps[row[0]] = steps.get(row[0], 0) + r.projects
    chart = svg.render(svg.Chart(_("Open projects by step"), list(steps), list(steps.values()), _("Projects")))
    notes = [_("Open key-account projects by the step they wait at and their account’s company tier. Value: "
               "the project’s deal size in %(currency)s - once the committee step began, the amount its voting rule "
               "used; before, the budget on the project form at the rate of the day it was answered. Projects "
               "without a budget or without a rate have no value and are counted apart.", currency=report.base)]
    return Table([_("Step"), _("Tier"), _("Projects"), _("Value (%(currency)s)", currency=report.base),
                  _("Projects without value")], rows, chart, notes)


def cycle_time(report) -> Table:
    rows = [[form_text(s.name), str(s.time.count), hours(s.time.median), hours(s.time.p90), str(s.returns), str(s.open),
             str(s.rewound), str(s.cancelled)] for s in report.steps]
    e2e = report.end_to_end
    rows.append([_("End to end"), str(e2e.count), hours(e2e.median), hours(e2e.p90), "", "", "", ""])
    chart = svg.render(svg.Chart(_("Median time per step (hours)"), [form_text(s.name) for s in report.steps],
                                 [(s.time.median or 0) / HOUR for s in report.steps], _("Hours")))
    notes = [_("Each time a step opens counts as one activation; a step’s time runs from opening to completion. "
               "Median: the middle value (the mean of the two middle ones for an even count). 90th percentile: "
               "the nearest-rank value, at or above %(share)s of the times.", share="90%"),
             _("Returns: activations after the step had already been completed in the same project. End to end: "
               "from a project’s first step opening to its last closing, for finished projects (withdrawn ones "
               "are left out).")]
    return Table([_("Step"), _("Completed"), _("Median (hours)"), _("90th percentile (hours)"), _("Returns"),
                  _("Open"), _("Rewound"), _("Cancelled")], rows, chart, notes)


def returns(report, reason_label, names: dict[str, str]) -> Table:
    steps = report.steps
    rows = []
    for s in steps:
        rows.append([form_text(s.name), str(s.decisions), str(s.returns), str(s.declines), percent(s.return_rate),
                     percent(s.first_pass_rate), _reasons(s.reasons, reason_label)])
    chart = svg.render(svg.Chart(_("Returns per review step"), [form_text(s.name) for s in steps],
                                 [s.returns for s in steps], _("Returns"),
                                 [s.first_pass_rate or 0 for s in steps], _("First-pass rate")))
    notes = [_("Return rate: returns out of all decisions at the step. First-pass rate: the share of projects "
               "whose first decision at the step was an approval.")]
    per_rep = [[names.get(r.rep, r.rep), str(r.reviewed), str(r.first_pass), percent(r.rate)] for r in report.reps]
    per_department = [[d.department or _("No department"), str(d.decisions), str(d.returns), str(d.declines),
                       percent(d.return_rate), _reasons(d.reasons, reason_label)] for d in report.departments]
    return Table([_("Review step"), _("Decisions"), _("Returns"), _("Declines"), _("Return rate"),
                  _("First-pass rate"), _("Reasons")], rows, chart, notes,
                 more=[Part(_("Returns by department"), [_("Department"), _("Decisions"), _("Returns"), _("Declines"),
                                                        _("Return rate"), _("Reasons")], per_department),
                       Part(_("First-pass rate per rep"), [_("Rep"), _("Reviews"), _("Approved at once"),
                                                           _("First-pass rate")], per_rep),
                       committee_votes(report.votes)])


RULES = {"majority": N_("Simple majority"), "two_thirds": N_("Two-thirds majority"), "unanimous": N_("Unanimous")}
OUTCOMES = {"approve": N_("Approved"), "tie": N_("Tied (the chair decides)"), "return": N_("Returned"),
            "decline": N_("Declined"), "open": N_("Votes still open"), "rewound": N_("Taken back by a rewind"),
            "cancelled": N_("Project withdrawn or stopped")}


def committee_votes(votes) -> Part:
    """The committee's rounds by voting rule and outcome, with the members' decisions in them."""
    rows = [[_(RULES[v.rule]) if v.rule in RULES else v.rule, _(OUTCOMES[v.outcome]) if v.outcome in OUTCOMES else v.outcome,
             str(v.rounds), str(v.members), str(v.approvals), str(v.returns), str(v.declines)] for v in votes]
    rules: dict[str, list[int]] = {}
    for v in votes:
        counts = rules.setdefault(v.rule, [0, 0])
        counts[0] += v.rounds
        counts[1] += v.rounds if v.outcome == "approve" else 0
    labels = [_(RULES[rule]) if rule in RULES else rule for rule in rules]
    chart = svg.render(svg.Chart(_("Committee votes by voting rule"), labels, [c[0] for c in rules.values()],
                                 _("Votes"), [c[1] / c[0] for c in rules.values()], _("Approved")))
    return Part(_("Committee votes by rule and outcome"),
                [_("Voting rule"), _("Outcome"), _("Votes"), _("Votes asked"), _("Members approving"),
                 _("Members returning"), _("Members declining")], rows, chart)


def _reasons(reasons: dict[str, int], reason_label) -> str:
    """Reasons with their counts, the most frequent first."""
    return ", ".join(f"{reason_label(code)}: {n}" for code, n in sorted(reasons.items(), key=lambda kv: -kv[1])) or "—"


def overdue(found, names: dict[str, str], group_label) -> Table:
    rows = [[group_label(r.waiting_on) if r.group else names.get(r.waiting_on, r.waiting_on), form_text(r.name), str(r.tasks),
             r.oldest_due.strftime("%Y-%m-%d %H:%M UTC")] for r in found]
    people: dict[str, float] = {}
    for row, r in zip(rows, found):
        people[row[0]] = people.get(row[0], 0) + r.tasks
    chart = svg.render(svg.Chart(_("Overdue tasks by person"), list(people), list(people.values()), _("Tasks")))
    notes = [_("Open tasks past their due time; a task offered to a group waits on the group.")]
    return Table([_("Waiting on"), _("Step"), _("Overdue tasks"), _("Oldest due")], rows, chart, notes)


def coverage(report, names: dict[str, str]) -> Table:
    stages = list(report.accounts[0].stages) if report.accounts else []
    rows = Rows(report.accounts, lambda r: [r.name, names.get(r.owner, r.owner), *(str(r.stages[st]) for st in stages),
                                            ", ".join(r.makers_at_acquaintance) or "—", str(r.going_cold),
                                            str(r.activities)])
    months: dict[str, float] = {}
    for _rep, month, count in report.activity:
        months[month] = months.get(month, 0) + count
    chart = svg.render(svg.Chart(_("Activities per month"), list(months), list(months.values()), _("Activities")))
    notes = [_("Contacts by relationship stage per account; the decision makers we have not yet won beyond "
               "acquaintance; contacts going cold (no activity for longer than the workspace setting). Accounts with "
               "the fewest contacts past acquaintance come first.")]
    per_rep = [[names.get(rep, rep), month, str(count)] for rep, month, count in report.activity]
    return Table([_("Account"), _("Owner"), *(stage_label(st or None) for st in stages),
                  _("Decision makers at acquaintance"), _("Going cold"), _("Activities")], rows, chart, notes,
                 more=[Part(_("Activities per rep per month"), [_("Rep"), _("Month"), _("Activities")], per_rep)])
