"""The report pages: parse the filters, call one report, show its chart and a page of its table
(`paging`) - or all the table's rows as CSV. Every report shows only the rows its reader may see
(the engine decides); a bad filter comes back on the page with the typed values and the field named."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, g, render_template, request
from flask_babel import gettext as _

from engine.reports.filters import FIELDS
from engine.workspace.rules import ACCOUNT_TYPES

from ..accounts.labels import account_type_label
from ..common.current import engine, me
from ..common.fields import N_, field_errors, group_label, waiting_label
from ..common.i18n import form_text
from ..tasks.page import display_names
from . import paging, tables

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")

REPORTS = {
    "portfolio": (N_("80/20 portfolio"), N_("Which few accounts make most of the revenue, and which meet the key-account criteria.")),
    "pipeline": (N_("Pipeline"), N_("Open projects by step and by account tier, with their value.")),
    "cycle-time": (N_("Cycle time"), N_("How long each step takes and where projects wait longest.")),
    "returns": (N_("Returns and first-pass rate"), N_("How often each review sends a proposal back, and why.")),
    "overdue": (N_("Overdue tasks"), N_("Open tasks past their due time, by person and by step.")),
    "relationships": (N_("Relationship coverage"),
                      N_("Contacts by stage per account, decision makers not yet won, contacts going cold.")),
}
REASON_CODES = {"incomplete_information": "Information is incomplete",
                "unclear_value": "Value to the customer is unclear",
                "budget_unrealistic": "Budget or revenue estimate is unrealistic",
                "weak_relationships": "Relationships with the decision makers are too weak",
                "competitive_risk": "Competitive risk is too high",
                "not_key_account": "The customer does not meet the key-account criteria", "other": "Other"}


def reason_label(code: str) -> str:
    return form_text(REASON_CODES[code]) if code in REASON_CODES else (code or _("No reason given"))


def _table(name: str, raw: dict) -> tables.Table:
    reports, names = engine().reports, display_names()
    if name == "portfolio":
        return tables.portfolio(reports.portfolio(me(), raw), names)
    if name == "pipeline":
        return tables.pipeline(reports.pipeline(me(), raw))
    if name == "cycle-time":
        return tables.cycle_time(reports.cycle_time(me(), raw))
    if name == "returns":
        return tables.returns(reports.returns(me(), raw), reason_label, names)
    if name == "overdue":
        return tables.overdue(reports.overdue(me(), raw), names, waiting_label)
    return tables.coverage(reports.coverage(me(), raw), names)


def _raw() -> dict[str, str]:
    return {k: request.args.get(k, "") for k in FIELDS}


def _windows(table: tables.Table | None) -> list[paging.Window]:
    """The page shown of each of the report's tables (the main one first), as the query string asks."""
    if table is None:
        return []
    size = current_app.config.get("REPORT_PAGE_SIZE", paging.PAGE_SIZE)
    return [paging.window(request.args, part, len(rows), size)
            for part, rows in enumerate([table.rows, *(p.rows for p in table.more)])]


def _page(name: str, raw: dict, table: tables.Table | None, errors=(), status: int = 200):
    people = [u for u in engine().users() if u.active]
    title, purpose = REPORTS[name]
    filters = {k: v for k, v in raw.items() if v}
    windows = _windows(table)
    pages = {w.key: w.number for w in windows if w.number > 1}
    return render_template("reports/report.html", name=name, title=_(title), purpose=_(purpose), table=table, raw=raw,
                           errors=field_errors(errors), reports=REPORTS, people=people,
                           departments=sorted({u.department for u in people if u.department}),
                           types=[(t, account_type_label(t)) for t in ACCOUNT_TYPES],
                           csv_args=filters, windows=windows, link_args={**filters, **pages}), status


@bp.route("/")
def index():
    return render_template("reports/index.html", reports=REPORTS)


@bp.route("/<name>")
def show(name: str):
    if name not in REPORTS:
        abort(404)
    raw = _raw()
    g.redisplay = lambda status, errors, _message: _page(name, raw, None, errors, status)
    return _page(name, raw, _table(name, raw))


@bp.route("/<name>.csv")
def download(name: str):
    """The page's table as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese):
    every row, whatever page the table shows - the download is the export."""
    if name not in REPORTS:
        abort(404)
    table = _table(name, _raw())
    part = request.args.get("part", 0, type=int)         # 0: the main table; n: the page's n-th further table
    if not 0 <= part <= len(table.more):
        abort(404)
    columns, rows = (table.columns, table.rows) if part == 0 else (table.more[part - 1].columns, table.more[part - 1].rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    filename = name if part == 0 else f"{name}-{part}"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}.csv"})
