"""Demo organisation and realistic answers for every stage-1 form.

Used by `kamflow init --demo`, `kamflow run`, the benchmarks and the tests, so all of them
exercise the real forms with the same believable data.
"""
from __future__ import annotations

from datetime import date, timedelta

from .db.setup_lock import exclusive_setup

PROCESS = "key_account_development"
PASSWORD = "kamflow-demo"

# username, groups, department, reports_to, display name
USERS = [
    ("amy", ["rep"], "north", "bob", "林雅美 Amy Lin"),
    ("ray", ["rep"], "south", "sue", "陳志明 Ray Chen"),
    ("bob", ["manager"], "north", "dan", "王大明 Bob Wang"),
    ("sue", ["manager"], "south", "dan", "李淑芬 Sue Lee"),
    ("dan", ["manager"], "hq", None, "張國強 Dan Chang"),
    ("cat", ["committee"], "hq", "dan", "黃美玲 Cathy Huang"),
    ("ken", ["committee"], "hq", "dan", "吳建宏 Ken Wu"),
    ("col", ["committee", "chair"], "hq", "dan", "蔡文雄 Colin Tsai"),
    ("zoe", ["admin"], "it", None, "周怡君 Zoe Chou"),
]
# the gift approval's lane reaches the group `compliance`, which an admin makes (create_ledger)
COMPLIANCE_USER = ("eve", ["compliance"], "legal", "dan", "鄭雅文 Eve Cheng")


def seed(eng, empty_only: bool = False) -> bool:
    """Demo users and projects on a database without any demo user yet (with `empty_only`:
    without any user at all, so a real deployment never gets demo accounts); False if not.
    Any number of processes may call this at once: exactly one of them creates the data."""
    with exclusive_setup(eng.db):
        present = {u.username for u in eng.users()}
        if present & {name for name, *_ in USERS} or (empty_only and present):
            return False
        from .demo_showcase import create_showcase     # it builds on the answers below
        create_users(eng)
        create_compliance(eng)
        create_showcase(eng)
        return True


def create_users(eng, password: str | None = PASSWORD) -> None:
    for name, groups, dept, boss, display in USERS:
        eng.add_user(name, groups=groups, department=dept, reports_to=boss, email=f"{name}@demo.kamflow.test",
                     password=password, display_name=display)


def answer(bpmn_id: str, owner: str = "amy", decision: str = "approve", **overrides) -> dict:
    """A valid answer for the task `bpmn_id`; `decision` steers review tasks."""
    valid_until = (date.today() + timedelta(days=365)).isoformat()
    reason = {"reason_code": "incomplete_information", "comment": "請補充預算核准流程 / add the budget approval steps"}
    return_to = overrides.pop("return_to", "proposal")
    returning = {"return_to": return_to} if decision == "return" else {}
    answers = {
        "customer_info": {"customer": {
            "name": "台北捷運公司 Taipei Metro", "account_type": "national", "industry": "Public transport",
            "business": "Runs the metro network of greater Taipei", "purchasing_department": "Procurement office",
            "supporting_departments": ["IT", "Operations"],
            "contact_channels": [{"channel": "visit", "detail": "Monthly review at HQ"}],
            "leaders": [{"name": "Director Lin", "title": "CIO", "department": "IT"}],
            "criteria": {"sales_volume": 5, "technology_absorption": 4, "market_strength": 4, "financial_health": 5},
        }},
        "competitor_info": {"competitors": [{
            "competitor": "Acme Systems", "products_in_use": "Ticketing gates (2015)", "customer_satisfaction": 2,
            "sales_reps": [{"name": "Mr. Lee", "sales_approach": "Price-led",
                            "relationship_with_customer": "Weak since 2022"}]}]},
        "project_info": {"project": {
            "procurement_plan": "Replace ticketing back office in 2027", "problem_to_solve": "Peak-hour failures",
            "timetable": "RFP in Q1, award in Q2", "budget_amount": 2_500_000, "budget_currency": "TWD",
            "procurement_process": "Open tender with technical pre-qualification"}},
        "decision_makers": {"decision_makers": [
            {"name": "Director Lin", "title": "CIO", "department": "IT", "department_kind": "supporting",
             "role": "decision_maker", "evidence": "Accepted a site visit"},
            {"name": "Ms. Chen", "title": "Head of procurement", "department": "Procurement",
             "department_kind": "purchasing", "role": "influencer",
             "evidence": "Calls the rep by name"}]},
        "decision_participants": {"decision_participants": [
            {"name": "Mr. Wu", "title": "Station operations lead", "department": "Operations",
             "department_kind": "supporting", "role": "user",
             "evidence": "Shares the failure logs with us"}]},
        "proposal": {"proposal": {
            "summary": "Cloud ticketing back office with 99.95% availability", "objectives": "No peak-hour outages",
            "solution": "Active-active deployment in two zones", "value_to_customer": "Fewer complaints, lower cost",
            "expected_revenue": 2_500_000, "currency": "TWD", "timeline": "Pilot in 3 months",
            "risks": "Tender may be delayed", "resources_needed": "Two solution architects"}},
        "manager_review": {"manager_review": {"decision": "approve"} if decision == "approve" else
                           {"decision": "return", "return_to": return_to, **reason}},
        "committee_vote": {"vote": {"decision": decision} if decision == "approve" else
                           {"decision": decision, **reason, **returning}},
        "chair_tiebreak": {"tiebreak": {"decision": decision, "comment": "主席裁決 / the chair decides", **returning}},
        "authorisation": {"authorisation": {
            "project_owner": owner, "team": [owner], "objectives": "Win the tender with a proof of concept",
            "scope": "Stage 2: solution design and tender",
            "budget_ceiling": {"amount": 300_000, "currency": "TWD"}, "valid_until": valid_until}},
    }
    result = answers.get(bpmn_id, {})
    for key, value in overrides.items():
        result = {**result, key: value}
    return result


def complete_open(eng, iid: str, bpmn_id: str, decision: str = "approve", **overrides) -> list[str]:
    """Complete every open task of `bpmn_id` in instance `iid` as its assignee (or a group member)."""
    done = []
    for task in [t for t in eng.instance(iid).tasks if t.bpmn_id == bpmn_id]:
        actor = task.assignee or _group_member(eng, task.group, exclude=eng.instance(iid).owner)
        eng.complete(task.id, actor, answer(bpmn_id, eng.instance(iid).owner, decision, **dict(overrides)))
        done.append(actor)
    return done


def _group_member(eng, group: str | None, exclude: str) -> str:
    kind, _, name = (group or "").partition(":")
    for user in eng.users():
        in_group = name in user.groups if kind == "group" else ("manager" in user.groups and user.department == name)
        if in_group and user.active and user.username != exclude:
            return user.username
    raise LookupError(f"nobody in group {group}")


INFORMATION = ("customer_info", "competitor_info", "project_info", "decision_makers", "decision_participants")


def to_manager_review(eng, owner: str, name: str) -> str:
    iid = eng.start(PROCESS, owner, {"project_name": name})
    for bpmn_id in INFORMATION + ("proposal",):
        complete_open(eng, iid, bpmn_id)
    return iid


def to_committee(eng, owner: str, name: str) -> str:
    iid = to_manager_review(eng, owner, name)
    complete_open(eng, iid, "manager_review")
    return iid


def create_projects(eng) -> int:
    """A few projects at different steps, so every demo role has something to do (the tests' quick
    set; the demo itself seeds demo_showcase's accounts and projects)."""
    eng.start(PROCESS, "amy", {"project_name": "長榮物流車隊管理 Evergreen fleet"})
    to_manager_review(eng, "amy", "台北捷運票務 Taipei Metro ticketing")
    to_manager_review(eng, "ray", "高雄港自動化 Kaohsiung port automation")
    to_committee(eng, "amy", "國泰銀行核心系統 Cathay core banking")
    return 4


def create_compliance(eng, password: str | None = PASSWORD) -> None:
    """The `compliance` group (made by the demo admin) with its demo member, eve."""
    if "compliance" not in {g.name for g in eng.groups.list()}:
        eng.groups.create("compliance", "zoe", "法遵：審核禮品與招待 Reviews gifts and hospitality")
    name, groups, dept, boss, display = COMPLIANCE_USER
    eng.add_user(name, groups=groups, department=dept, reports_to=boss, email=f"{name}@demo.kamflow.test",
                 password=password, display_name=display)
