"""How the 80/20 report and the home page read their rows, on both databases: the portfolio ranks
amounts kept on the revenue rows and amounts converted on reading (a row written around the
engine) together, exactly as the Decimal rule ranks them, and takes the company tiers from the
database for a viewer who sees only some accounts and from its own ranking for one who sees all;
the home page counts a project once at each step it waits at and sums deal sizes to the cent."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert, select, update

from engine.db.schema import Instance
from engine.db.workspace import AccountRevenue
from engine.reports import pareto
from engine.workspace import currency
from engine.workspace.tiers import company_tiers

from .test_reports import world  # noqa: F401 - the organisation, accounts and projects of the reports' tests


def converted_by_rule(eng, year: int) -> dict[str, Decimal | None]:
    with eng.ctx.uow(read_only=True) as uow:
        to_base = currency.converter(uow.session, eng.ctx.clock().date())
        return {a: to_base(amount, code, year) for a, amount, code in uow.session.execute(
            select(AccountRevenue.account_id, AccountRevenue.amount, AccountRevenue.currency)
            .where(AccountRevenue.year == year))}


def test_the_portfolio_ranks_kept_and_converted_amounts_as_the_decimal_rule_does_for_every_viewer(world, kam_eng):
    kam_eng.rates.set("zed", {"currency": "USD", "valid_from": "2025-01-01", "rate": 31.5})    # North C: 3,150
    around = kam_eng.accounts.create("amy", {"name": "written around the engine", "account_type": "regional"})
    with kam_eng.ctx.uow() as uow:                                  # no kept amount: converted on reading
        uow.session.execute(insert(AccountRevenue).values(account_id=around, year=2025, amount=Decimal("812.34"),
                                                          currency="TWD"))
    rule = converted_by_rule(kam_eng, 2025)
    with kam_eng.ctx.uow(read_only=True) as uow:
        company = company_tiers(uow.session, kam_eng.ctx.clock().date(), 2025)
    for viewer in ("bob", "col", "ray"):
        report = kam_eng.reports.portfolio(viewer, {"year": "2025"})
        ranking = pareto.rank([(r.account_id, rule.get(r.account_id, Decimal(0))) for r in report.rows])
        assert [(r.account_id, r.rank, r.revenue, r.share, r.cumulative, r.tier) for r in report.rows] == [
            (r.key, r.rank, r.amount, r.share, r.cumulative, r.tier) for r in ranking.rows]
        assert (report.total, report.top_count, report.top_share) == (ranking.total, ranking.top_count,
                                                                      ranking.top_share)
        assert {r.account_id: r.company_tier for r in report.rows} == {r.account_id: company[r.account_id]
                                                                       for r in report.rows}
    rows = kam_eng.reports.portfolio("bob", {"year": "2025"}).rows       # of 4,912.34: 64%, 81% and 97% before
    assert [(r.name, r.revenue, r.tier) for r in rows[:4]] == [
        ("北區丙 North C", Decimal("3150.00"), "A"), ("written around the engine", Decimal("812.34"), "A"),
        ("北區甲 North A", Decimal("800.00"), "B"), ("北區乙 North B", Decimal("150.00"), "C")]


def test_the_home_page_counts_a_project_once_at_each_step_it_waits_at_and_sums_its_values_to_the_cent(world, kam_eng):
    with kam_eng.ctx.uow() as uow:                                  # three float-unfriendly sizes and one in USD
        for iid, size, code in ((world["returned"], "0.10", "TWD"), (world["rewound"], "0.20", "TWD"),
                                (world["south"], "1000000000000.07", "TWD")):
            uow.session.execute(update(Instance).where(Instance.id == iid).values(deal_size=Decimal(size),
                                                                                   deal_currency=code))
    steps = {s.step: (s.projects, s.value, s.without_value) for s in kam_eng.reports.projects_by_step("col")}
    assert steps == {"committee_vote": (1, Decimal("0.10"), 0), "proposal": (1, Decimal("0.20"), 0),
                     "manager_review": (1, Decimal("1000000000000.07"), 0)}
    with kam_eng.ctx.uow() as uow:
        uow.session.execute(update(Instance).where(Instance.id == world["south"]).values(deal_currency="USD"))
    steps = {s.step: (s.projects, s.value, s.without_value) for s in kam_eng.reports.projects_by_step("col")}
    assert steps["manager_review"] == (1, Decimal(0), 1)             # another currency: no value, counted apart
    assert {s.step for s in kam_eng.reports.projects_by_step("ray")} == {"manager_review"}
