"""The demo's key accounts, people and projects: what a first visitor sees at work.

Nine customers in Chinese, three of each key-account type, each with its own figures, people and
competitor. Seven have a project, each at a different point of stage 1 (gathering information,
at the manager, returned to the rep, at the committee, established, declined, withdrawn); the
people's relationships were built over the past year through the ledger's marker activities, so
every stage is present; one municipally owned customer has a gift waiting for compliance.
Everything goes through the engine's own use cases, as people would have done it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .demo import PROCESS, answer, complete_open

ADMIN = "zoe"
RATES = {"USD": 31.5, "EUR": 34.2, "JPY": 0.21, "CNY": 4.35}        # TWD per unit, dated a year ago
# the marker activities that carried a person to each stage, oldest first (domain §5.2)
ROAD = {"acquaintance": [("phone_contact", "初次電話聯繫，約定拜訪"), ("scheduled_visit", "拜訪辦公室，了解現況與需求")],
        "engagement": [("business_meal", "餐敘，談明年的預算與優先順序"), ("technical_exchange", "技術交流：方案架構與整合")],
        "trust": [("out_of_town_visit", "陪同參訪中部的成功案例"), ("social_event", "週末高爾夫球敘")],
        "alliance": [("internal_guide", "主動說明內部評選流程與關鍵人士"), ("introductions", "引見採購委員會成員")]}


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    department: str
    kind: str                  # purchasing / supporting
    role: str                  # decision_maker / influencer / user / gatekeeper
    stage: str                 # where the ledger stands today
    public_official: bool = False


@dataclass(frozen=True)
class Customer:
    name: str
    account_type: str
    owner: str
    industry: str
    business: str
    purchasing: str
    criteria: tuple[int, int, int, int]       # sales volume, technology, market strength, finances
    competitor: tuple[str, str, int, str]     # name, their product in use, satisfaction 1-5, their rep
    people: tuple[Person, ...]
    project: str = ""                         # the project's name; empty: an account without a project
    state: str = ""                           # where the project stands
    need: str = ""
    budget: tuple[int, str] = (0, "TWD")
    supporting: tuple[str, ...] = field(default=("資訊處",))


def _p(name, title, dept, kind, role, stage, official=False) -> Person:
    return Person(name, title, dept, kind, role, stage, official)


CUSTOMERS = (
    Customer("台北捷運公司", "national", "amy", "大眾運輸", "經營大台北地區捷運路網，每日運量逾兩百萬人次", "採購處",
             (5, 4, 4, 5), ("Acme Systems", "票務閘門與後台（2015 年建置）", 2, "李經理：以價格取勝"),
             (_p("林志遠", "資訊處處長", "資訊處", "supporting", "decision_maker", "alliance", True),
              _p("陳淑惠", "採購處副處長", "採購處", "purchasing", "influencer", "trust", True),
              _p("吳建華", "站務營運課長", "營運處", "supporting", "user", "engagement", True)),
             "台北捷運票務後台雲端化", "established", "尖峰時段票務後台當機，旅客抱怨不斷", (2_500_000, "TWD"),
             ("資訊處", "營運處")),
    Customer("中興精密機械", "regional", "amy", "工具機製造", "台中的 CNC 工具機製造商，外銷比重六成", "資材部",
             (4, 5, 3, 4), ("德森自動化", "舊版 MES 系統", 3, "張業務：技術背景，常駐工廠"),
             (_p("黃俊傑", "總經理", "總經理室", "supporting", "decision_maker", "engagement"),
              _p("蔡佩君", "資材部經理", "資材部", "purchasing", "influencer", "acquaintance"),
              _p("許文彬", "生產線主任", "製造部", "supporting", "user", "acquaintance")),
             "中興精密智慧工廠 MES 汰換", "manager", "排程仍靠人工，交期延誤", (6_800_000, "TWD"), ("製造部", "資訊課")),
    Customer("環宇航運集團", "global", "amy", "貨櫃航運", "全球前十大貨櫃航商，航線遍及四大洲", "全球採購中心",
             (5, 4, 5, 4), ("Oceanic Software", "船隊排程系統（新加坡）", 3, "Mr. Tan：總部直銷，關係良好"),
             (_p("Michael Hsu 徐明哲", "資訊長", "資訊總部", "supporting", "decision_maker", "trust"),
              _p("王美玲", "全球採購協理", "全球採購中心", "purchasing", "influencer", "engagement"),
              _p("趙立群", "船隊調度經理", "船務處", "supporting", "user", "engagement"),
              _p("周秘書", "董事長秘書", "董事長室", "supporting", "gatekeeper", "acquaintance")),
             "環宇航運船隊調度平台", "committee", "各區調度各自為政，空櫃調度成本過高", (420_000, "USD"),
             ("資訊總部", "船務處")),
    Customer("大安綜合醫院", "regional", "amy", "醫療", "台北市區域教學醫院，病床八百床", "總務室",
             (3, 3, 3, 4), ("康健資訊", "門診掛號系統", 4, "劉業務：與院長熟識"),
             (_p("鄭院長", "副院長", "院長室", "supporting", "decision_maker", "acquaintance"),
              _p("李主任", "資訊室主任", "資訊室", "supporting", "influencer", "acquaintance")),
             "大安醫院智慧掛號與叫號", "information", "門診候診時間過長", (1_800_000, "TWD"), ("資訊室",)),
    Customer("南方電力公司", "regional", "ray", "能源", "高屏地區的民營電廠與售電業者", "採購課",
             (4, 3, 4, 3), ("台電系統整合", "電網監控軟體", 3, "陳經理：熟悉法規"),
             (_p("蘇董事長", "董事長", "董事長室", "supporting", "decision_maker", "engagement"),
              _p("楊課長", "採購課課長", "採購課", "purchasing", "influencer", "engagement"),
              _p("羅工程師", "調度中心工程師", "調度中心", "supporting", "user", "trust")),
             "南方電力調度中心監控升級", "returned", "監控畫面反應慢，無法支援再生能源併網", (3_200_000, "TWD"),
             ("調度中心",)),
    Customer("永豐食品工業", "national", "ray", "食品製造", "全台三座工廠的冷凍食品製造商", "採購部",
             (3, 2, 4, 3), ("鼎新電腦", "ERP（2012 年導入）", 4, "黃業務：長期駐點，滿意度高"),
             (_p("何總經理", "總經理", "總經理室", "supporting", "decision_maker", "acquaintance"),
              _p("江經理", "採購部經理", "採購部", "purchasing", "influencer", "engagement")),
             "永豐食品冷鏈追蹤系統", "declined", "冷鏈溫度紀錄仍靠紙本", (900_000, "TWD"), ("品保部",)),
    Customer("海峽電信", "global", "ray", "電信", "兩岸三地的電信業者，企業客戶逾萬家", "集中採購處",
             (5, 5, 4, 4), ("Nordic Telecom Systems", "計費系統", 2, "Mr. Berg：總部決策，在地支援弱"),
             (_p("高副總", "技術副總", "技術本部", "supporting", "decision_maker", "acquaintance"),
              _p("方經理", "集中採購處經理", "集中採購處", "purchasing", "influencer", "acquaintance")),
             "海峽電信企業客服平台", "withdrawn", "企業客戶報修流程冗長", (1_200_000, "EUR"), ("技術本部",)),
    Customer("亞太半導體", "global", "amy", "半導體", "晶圓代工廠，客戶遍及美日歐", "採購中心",
             (5, 5, 5, 5), ("SAP", "全球 ERP", 4, "Ms. Ito：日本總部窗口"),
             (_p("劉協理", "資訊協理", "資訊中心", "supporting", "influencer", "engagement"),), ),
    Customer("國泰連鎖藥局", "national", "ray", "零售通路", "全台三百家連鎖藥局", "採購部",
             (4, 3, 4, 4), ("宏碁資訊", "POS 系統", 3, "林業務：價格彈性大"),
             (_p("潘總監", "營運總監", "營運部", "supporting", "decision_maker", "engagement"),), ),
)


def create_showcase(eng) -> dict[str, int]:
    """The demo's accounts, people, activities, projects in every state and a pending gift."""
    _rates(eng)
    counts = {"accounts": 0, "projects": 0, "activities": 0}
    for customer in CUSTOMERS:
        account_id = eng.accounts.create(customer.owner, _profile(customer))
        counts["accounts"] += 1
        if customer.project:
            _project(eng, customer, account_id)
            counts["projects"] += 1
        counts["activities"] += _relationships(eng, customer, account_id)
    _gift(eng)
    return counts


def _rates(eng) -> None:
    since = (date.today() - timedelta(days=365)).isoformat()
    for currency, rate in RATES.items():
        eng.rates.set(ADMIN, {"currency": currency, "valid_from": since, "rate": rate})


def _profile(c: Customer) -> dict:
    sales, tech, market, money = c.criteria
    return {"name": c.name, "account_type": c.account_type, "industry": c.industry, "business": c.business,
            "purchasing_department": c.purchasing, "supporting_departments": list(c.supporting),
            "criteria": {"sales_volume": sales, "technology_absorption": tech, "market_strength": market,
                         "financial_health": money},
            "potential": {"amount": c.budget[0] * 3 or 5_000_000, "currency": c.budget[1]},
            "revenues": [{"year": date.today().year - 1, "amount": c.budget[0] // 4, "currency": c.budget[1]}],
            "owner": c.owner}


def _contact(p: Person) -> dict:
    return {"name": p.name, "title": p.title, "department": p.department, "department_kind": p.kind,
            "decision_role": p.role, "public_official": p.public_official}


def _row(p: Person) -> dict:
    return {"name": p.name, "title": p.title, "department": p.department, "department_kind": p.kind,
            "role": p.role, "top_executive": p.role == "decision_maker" and "總" in p.title}


def _answers(c: Customer) -> dict[str, dict]:
    """The project's forms as the rep filled them in, from the customer's own facts."""
    sales, tech, market, money = c.criteria
    rival, product, satisfaction, rep = c.competitor
    rep_name, _, approach = rep.partition("：")
    amount, currency = c.budget
    makers = [p for p in c.people if p.role == "decision_maker"]
    return {
        "customer_info": {"customer": {
            "name": c.name, "account_type": c.account_type, "industry": c.industry, "business": c.business,
            "purchasing_department": c.purchasing, "supporting_departments": list(c.supporting),
            "leaders": [{"name": p.name, "title": p.title, "department": p.department} for p in makers],
            "criteria": {"sales_volume": sales, "technology_absorption": tech, "market_strength": market,
                         "financial_health": money}}},
        "competitor_info": {"competitors": [{"competitor": rival, "products_in_use": product,
                                             "customer_satisfaction": satisfaction,
                                             "sales_reps": [{"name": rep_name, "sales_approach": approach}]}]},
        "project_info": {"project": {**answer("project_info")["project"], "problem_to_solve": c.need,
                                     "budget_amount": amount, "budget_currency": currency}},
        "decision_makers": {"decision_makers": [_row(p) for p in makers]},
        "decision_participants": {"decision_participants": [_row(p) for p in c.people
                                                            if p.role != "decision_maker"]},
        "proposal": {"proposal": {**answer("proposal")["proposal"], "summary": c.project, "currency": currency,
                                  "expected_revenue": amount, "objectives": f"解決：{c.need}"}},
    }


def _fill(eng, iid: str, c: Customer, steps) -> None:
    forms = _answers(c)
    for step in steps:
        complete_open(eng, iid, step, **forms[step])


INFORMATION = ("customer_info", "competitor_info", "project_info", "decision_makers", "decision_participants")


def _project(eng, c: Customer, account_id: str) -> str:
    iid = eng.start(PROCESS, c.owner, {"project_name": c.project, "account_id": account_id})
    if c.state in ("information", "withdrawn"):
        _fill(eng, iid, c, INFORMATION[:2])
        if c.state == "withdrawn":
            eng.withdraw(iid, c.owner, "客戶決定延到明年再評估 / the customer postponed to next year")
        return iid
    _fill(eng, iid, c, INFORMATION + ("proposal",))
    if c.state == "manager":
        return iid
    if c.state == "returned":
        complete_open(eng, iid, "manager_review", "return")
        return iid
    complete_open(eng, iid, "manager_review")
    votes = [t for t in eng.instance(iid).tasks if t.bpmn_id == "committee_vote"]
    if c.state == "committee":
        eng.complete(votes[0].id, votes[0].assignee, answer("committee_vote", c.owner))
        return iid
    complete_open(eng, iid, "committee_vote", "decline" if c.state == "declined" else "approve")
    if c.state == "established":
        complete_open(eng, iid, "authorisation")
    return iid


def _relationships(eng, c: Customer, account_id: str) -> int:
    """Each person's year with us: the marker activities of every stage up to where they stand."""
    known = {x.name: x.id for x in eng.accounts.get(account_id, c.owner).contacts}
    recorded = 0
    for n, person in enumerate(c.people):      # met before the project's forms named them, or without one
        contact_id = known.get(person.name) or eng.accounts.add_contact(account_id, c.owner, _contact(person))
        if person.public_official and person.name in known:
            eng.accounts.change_contact(contact_id, c.owner, {**_contact(person), "leader": person.role == "decision_maker"})
        stages = list(ROAD)[:list(ROAD).index(person.stage) + 1]
        steps = [step for stage in stages for step in ROAD[stage]]
        for i, (kind, notes) in enumerate(steps):
            days = 350 - n * 7 - i * (300 // len(steps))
            eng.ledger.record_activity(contact_id, c.owner, {
                "kind": kind, "notes": notes, "occurred_on": (date.today() - timedelta(days=days)).isoformat()})
            recorded += 1
    return recorded


def _contact_of(eng, c: Customer, name: str):
    account = next(a for a in eng.accounts.list(c.owner, search=c.name).accounts if a.name == c.name)
    return account, next(x for x in eng.accounts.get(account.id, c.owner).contacts if x.name == name)


def _gift(eng) -> None:
    """A mid-autumn gift to the metro's CIO, a public official: it waits for compliance. And a
    target: the machine maker's general manager should trust us before the tender."""
    maker = CUSTOMERS[1]
    _account, boss = _contact_of(eng, maker, maker.people[0].name)
    eng.ledger.set_target(boss.id, maker.owner, {"stage": "trust",
                                                 "due_on": (date.today() + timedelta(days=120)).isoformat()})
    metro = CUSTOMERS[0]
    account, cio = _contact_of(eng, metro, metro.people[0].name)
    eng.ledger.record_gift(account.id, metro.owner, {
        "contact_id": cio.id, "kind": "gift", "description": "中秋節禮盒（高山茶與鳳梨酥）",
        "given_on": (date.today() + timedelta(days=10)).isoformat(), "amount": 4800, "currency": "TWD"})
