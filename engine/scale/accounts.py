"""Seeded key accounts: profile, criteria, three years of revenue (an 80/20 spread, some in other
currencies with dated exchange rates), a competitor, and people at every relationship stage
whose stage history and marker activities (the ledger's evidence) agree with where they stand.
Each account's creation is on its audit stream, as `accounts.create` records it.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from .. import auditlog
from ..workspace.ledger_rules import MARKERS
from ..workspace.rules import STAGES
from . import shape
from .clone import new_id

RATES = {"USD": 31.5, "EUR": 34.2, "JPY": 0.21, "CNY": 4.35}          # TWD per unit, drifting a little
PLACES = ["", "台北", "台中", "高雄", "新竹", "台南"]
FIRST = "台新華亞東永宏國大中南北聯遠統長豐泰"
SECOND = "興達元鼎信益昌隆安盛合成發祥光榮"
TRADES = [("科技", "資訊服務"), ("精密", "工具機製造"), ("電子", "電子製造"), ("物流", "物流"), ("醫院", "醫療"),
          ("銀行", "金融"), ("電力", "能源"), ("食品", "食品製造"), ("航運", "貨櫃航運"), ("半導體", "半導體"),
          ("電信", "電信"), ("建設", "營建")]
FORMS = ["公司", "集團", "股份有限公司"]
TYPES = (("global", 0.15), ("national", 0.35), ("regional", 0.50))
ROLES = ["decision_maker", "influencer", "user", "decision_maker", "influencer", "gatekeeper"]
STAGE_SHARE = ((None, 0.10), ("acquaintance", 0.35), ("engagement", 0.30), ("trust", 0.18), ("alliance", 0.07))


@dataclass(frozen=True)
class SeededAccount:
    id: str
    name: str
    owner: str


def _pick(rng: random.Random, weighted):
    x, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if x < total:
            return value
    return weighted[-1][0]


def names(rng: random.Random, count: int) -> list[str]:
    """`count` different company names."""
    space = len(PLACES) * len(FIRST) * len(SECOND) * len(TRADES) * len(FORMS)
    found = []
    for k in rng.sample(range(space), count) if count <= space else range(count):
        k, form = divmod(k % space, len(FORMS))
        k, trade = divmod(k, len(TRADES))
        k, second = divmod(k, len(SECOND))
        place, first = divmod(k, len(FIRST))
        found.append(f"{PLACES[place]}{FIRST[first]}{SECOND[second]}{TRADES[trade][0]}{FORMS[form]}")
    return found


def rates_rows(today: date) -> list[dict]:
    """Quarterly rates for three years, so every revenue year converts."""
    rows = []
    for currency, rate in RATES.items():
        for q in range(13):
            rows.append({"base": "TWD", "currency": currency, "valid_from": today - timedelta(days=91 * (12 - q) + 1000),
                         "rate": round(rate * (1 + 0.01 * ((q % 5) - 2)), 4), "set_by": "admin1",
                         "set_at": datetime.now(timezone.utc)})
    return rows


def build(rng: random.Random, count: int, reps: list[str], team_of, now: datetime, out: dict,
          ids: dict) -> list[SeededAccount]:
    """Rows of `count` accounts into `out` (table -> rows); `team_of(rep)` lists colleagues."""
    made = []
    created = now - timedelta(days=3 * 365 + 60)
    for i, name in enumerate(names(rng, count)):
        owner = reps[i % len(reps)]
        account_id = new_id(rng)
        trade = next(t for t in TRADES if t[0] in name)
        kind = _pick(rng, TYPES)
        criteria = [rng.randint(1, 5) for _ in range(4)]
        currency = "TWD" if rng.random() < 0.88 else rng.choice(list(RATES))
        base = shape.pareto_revenue(rng) / (1 if currency == "TWD" else RATES[currency])
        revenues = [{"account_id": account_id, "year": now.year - y, "currency": currency,
                     "amount": round(base * (1 + rng.uniform(-0.2, 0.3)) ** (3 - y), 2)} for y in (1, 2, 3)]
        team = [m for m in team_of(owner) if m != owner and rng.random() < 0.15][:2]
        account = {"id": account_id, "name": name, "account_type": kind, "industry": trade[1],
                   "business": f"{trade[1]}業者", "industry_basics": "", "organisation_structure": "",
                   "purchasing_department": "採購部", "supporting_departments": ["資訊部"],
                   "contact_channels": [], "similar_products_in_use": "", "sales_volume": criteria[0],
                   "technology_absorption": criteria[1], "market_strength": criteria[2],
                   "financial_health": criteria[3], "potential_amount": round(base * 3, 2),
                   "potential_currency": currency, "owner": owner, "executive_sponsor": None,
                   "created_by": owner, "created_at": created, "updated_at": created, "version": 1}
        out["accounts"].append(account)
        out["account_revenues"].extend(revenues)
        out["account_team"].extend({"account_id": account_id, "username": m} for m in team)
        competitor = new_id(rng)
        out["competitors"].append({"id": competitor, "account_id": account_id, "name": rng.choice(
            ["Acme Systems", "德森自動化", "Oceanic Software", "鼎新電腦", "SAP"]), "products_in_use": "舊系統",
            "customer_satisfaction": rng.randint(1, 5), "created_at": created, "updated_at": created, "version": 1})
        out["competitor_reps"].append({"competitor_id": competitor, "position": 0, "name": "業務代表",
                                       "sales_approach": "價格導向", "relationship_with_customer": "普通"})
        _people(rng, account_id, owner, now, created, out, ids)
        _created_event(account, revenues, team, out)
        made.append(SeededAccount(account_id, name, owner))
    return made


def _people(rng, account_id: str, owner: str, now: datetime, created: datetime, out: dict, ids: dict) -> None:
    for n in range(rng.randint(3, 6)):
        contact_id, stage = new_id(rng), _pick(rng, STAGE_SHARE)
        out["contacts"].append({
            "id": contact_id, "account_id": account_id, "name": f"{rng.choice(SURNAMES_)}{'先生' if n % 2 else '經理'}",
            "title": "處長" if n == 0 else "經理", "department": "資訊部" if n % 2 else "採購部",
            "department_kind": "supporting" if n % 2 else "purchasing", "decision_role": ROLES[n],
            "top_executive": n == 0, "leader": n == 0, "public_official": False, "reports_to_id": None,
            "relationship_stage": stage, "owner": owner, "stage_confirm_by": None, "created_at": created,
            "updated_at": created, "version": 1})
        reached = STAGES[:STAGES.index(stage) + 1] if stage else ()
        day = (now - timedelta(days=rng.randint(200, 400))).date()
        previous = None
        for s in reached:
            for _ in range(rng.randint(1, 2)):
                day += timedelta(days=rng.randint(5, 60))
                day = min(day, now.date())
                out["activities"].append({"id": ids["activity"], "account_id": account_id, "contact_id": contact_id,
                                          "kind": rng.choice(MARKERS[s]), "occurred_on": day, "notes": "",
                                          "recorded_by": owner, "recorded_at": _at(day)})
                ids["activity"] += 1
            out["contact_stage_changes"].append({"id": ids["stage_change"], "contact_id": contact_id,
                                                 "from_stage": previous, "to_stage": s, "cause": "ledger",
                                                 "reason": "", "instance_id": None, "changed_by": owner,
                                                 "changed_at": _at(day)})
            ids["stage_change"] += 1
            previous = s


SURNAMES_ = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)


def _created_event(account: dict, revenues: list[dict], team: list[str], out: dict) -> None:
    """`account_created` on the account's stream, with the document `account_document` keeps."""
    after = {k: account[k] for k in ("name", "account_type", "industry", "business", "purchasing_department")}
    after.update(supporting_departments=account["supporting_departments"],
                 criteria={k: account[k] for k in ("sales_volume", "technology_absorption", "market_strength",
                                                   "financial_health")},
                 potential={"amount": float(account["potential_amount"]), "currency": account["potential_currency"]},
                 revenues=[{"year": r["year"], "amount": float(r["amount"]), "currency": r["currency"]}
                           for r in sorted(revenues, key=lambda r: -r["year"])],
                 owner=account["owner"], team=sorted(team))
    payload = {"after": after}
    fields = {"stream": auditlog.account_stream(account["id"]), "seq": 1, "kind": "account_created",
              "actor": account["owner"], "at": account["created_at"], "instance_id": None, "task_id": None,
              "bpmn_id": None, "task_name": None, "meta": {"owner": account["owner"]},
              "payload_hash": auditlog.sha256(auditlog.canonical(payload)), "prev_hash": auditlog.GENESIS}
    fields["hash"] = auditlog.event_hash(fields)
    out["account_events"].append((fields, payload))
