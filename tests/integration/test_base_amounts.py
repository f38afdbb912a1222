"""Each revenue row keeps its amount in the base currency (`engine/workspace/base_amounts.py`), on
both databases: kept when the row is written, kept again for a currency's rows when one of its
rates is set, filled for older rows by migration 0025. The company tiers and the 80/20 ranking read
the kept amounts and give exactly what converting every recorded amount by the rule gives: several
currencies, a tie, half a cent, an amount SQLite returns only through floating point, one beyond
64 bits, one with no rate. A kept amount is trusted only on the dates and in the base it holds for;
any other row is converted."""
from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, insert, select

from engine.db.workspace import Account, AccountRevenue
from engine.reports import pareto
from engine.workspace import base_amounts, currency, rules
from engine.workspace.tiers import company_tiers, ranked_in_sql

from ..migrations import down_and_up
from .test_db_retry import wait_until_blocked

BASE_COLUMNS = (AccountRevenue.base_amount, AccountRevenue.base_currency, AccountRevenue.base_from,
                AccountRevenue.base_until)


def years(eng) -> tuple[int, int, int]:
    """The year before last, last year and this year, by the engine's clock."""
    now = eng.ctx.clock().year
    return now - 2, now - 1, now


@pytest.fixture
def book(eng):
    """Accounts with revenue in TWD, USD, JPY, EUR and CNY (no rate) over three years; id by name."""
    old, last, now = years(eng)
    for code, valid_from, rate in (("USD", f"{old}-01-01", 30.12345678), ("USD", f"{last}-07-01", 31.5),
                                   ("EUR", f"{old}-01-01", 1_000_000), ("EUR", f"{last}-01-01", 35.5),
                                   ("JPY", f"{last}-01-01", 0.21234567)):
        eng.rates.set("zed", {"currency": code, "valid_from": valid_from, "rate": rate})
    made = {}
    for name, revenues in {
        "TWD 5000": [(last, 5000, "TWD"), (old, 123456789012345.67, "TWD")],   # SQLite: through a double
        "USD 100": [(last, 100, "USD"), (old, 100, "USD"), (now, 100, "USD")],  # 3,150.00 (3,012.35 before)
        "TWD 3150": [(last, 3150, "TWD"), (now, 200, "TWD")],                   # ties with USD 100
        "JPY 10000": [(last, 10000, "JPY")],                                    # 2,123.4567
        "EUR 10": [(last, 10, "EUR"), (old, 1_000_000_000_000_000, "EUR")],     # 1e23 cents: beyond 64 bits
        "EUR 0.03": [(last, 0.03, "EUR")],                                      # 1.065: half-even to 1.06
        "CNY 500": [(last, 500, "CNY")],                                        # no rate
        "none": [],
    }.items():
        made[name] = eng.accounts.create("amy", {"name": name, "account_type": "national", "revenues": [
            {"year": year, "amount": amount, "currency": code} for year, amount, code in revenues]})
    return made


def by_rule(eng, year, today) -> dict[str, Decimal | None]:
    """Every account's revenue of `year` converted from its recorded amount by the rule, as before."""
    with eng.ctx.uow(read_only=True) as uow:
        to_base = currency.converter(uow.session, today)
        rows = uow.session.execute(select(AccountRevenue.account_id, AccountRevenue.amount, AccountRevenue.currency)
                                   .where(AccountRevenue.year == year))
        return {account_id: to_base(amount, code, year) for account_id, amount, code in rows}


def as_read(eng, year, today) -> dict[str, Decimal | None]:
    with eng.ctx.uow(read_only=True) as uow:
        return {r.account_id: r.base for r in base_amounts.year_in_base(uow.session, year, today)}


def tiers_both_ways(eng, year, today) -> tuple[dict, dict]:
    """(the company tiers as the pages read them, the tiers the rule gives over converted amounts)."""
    with eng.ctx.uow(read_only=True) as uow:
        ids = list(uow.session.scalars(select(Account.id)))
        read = company_tiers(uow.session, today, year)
    rule = by_rule(eng, year, today)
    return read, rules.tiers_by_amount(ids, rule.items())


def kept_columns(eng) -> dict[tuple[str, int], tuple]:
    with eng.ctx.uow(read_only=True) as uow:
        return {(r[0], r[1]): tuple(r[2:]) for r in uow.session.execute(
            select(AccountRevenue.account_id, AccountRevenue.year, *BASE_COLUMNS))}


def test_tiers_and_the_ranking_from_kept_amounts_are_the_rules_to_the_cent(book, eng):
    old, last, now = years(eng)
    today = eng.ctx.clock().date()
    for year in (old, last, now):
        assert as_read(eng, year, today) == by_rule(eng, year, today)
        read, rule = tiers_both_ways(eng, year, today)
        assert read == rule
    amounts = as_read(eng, last, today)
    assert (amounts[book["USD 100"]], amounts[book["TWD 3150"]]) == (Decimal("3150.00"), Decimal("3150.00"))
    assert (amounts[book["EUR 0.03"]], amounts[book["JPY 10000"]], amounts[book["CNY 500"]]) == (
        Decimal("1.06"), Decimal("2123.46"), None)
    with eng.ctx.uow(read_only=True) as uow:                       # ranked by the database; the year before is not
        assert [ranked_in_sql(uow.session, year, today) is None for year in (old, last, now)] == [True, False, False]
    read, _ = tiers_both_ways(eng, last, today)
    assert [read[book[n]] for n in ("TWD 5000", "USD 100", "TWD 3150", "JPY 10000", "EUR 10", "CNY 500")] == [
        "A", "A", "A", "B", "C", "C"]
    assert as_read(eng, old, today)[book["EUR 10"]] == Decimal("1000000000000000000000.00")
    stored = kept_columns(eng)
    assert stored[(book["EUR 10"], old)] == (None, None, None, None)             # not kept: converted on reading
    assert stored[(book["USD 100"], last)][:2] == (315000, "TWD")
    report = eng.reports.portfolio("col", {"year": str(last)})
    ranking = pareto.rank([*by_rule(eng, last, today).items(), (book["none"], Decimal(0))])
    assert [(r.account_id, r.rank, r.revenue, r.cumulative, r.tier) for r in report.rows] == [
        (r.key, r.rank, r.amount, r.cumulative, r.tier) for r in ranking.rows]
    assert {r.account_id: r.company_tier for r in report.rows} == tiers_both_ways(eng, last, today)[1]


def test_setting_a_rate_keeps_that_currencys_rows_again_and_no_others(book, eng):
    old, last, now = years(eng)
    today, before = eng.ctx.clock().date(), kept_columns(eng)
    eng.rates.set("zed", {"currency": "USD", "valid_from": f"{last}-07-01", "rate": 32})     # a correction
    after = kept_columns(eng)
    usd = {(book["USD 100"], last), (book["USD 100"], now)}
    assert {key for key in after if after[key] != before[key]} == usd
    assert [after[key][0] for key in sorted(usd, key=lambda k: k[1])] == [320000, 320000]
    for year in (old, last, now):
        assert as_read(eng, year, today) == by_rule(eng, year, today)
        read, rule = tiers_both_ways(eng, year, today)
        assert read == rule


def test_a_kept_amount_is_trusted_only_on_the_dates_and_in_the_base_it_holds_for(book, eng, monkeypatch):
    old, last, now = years(eng)
    today = eng.ctx.clock().date()
    forecast = eng.accounts.create("amy", {"name": "forecast", "account_type": "regional", "revenues": [
        {"year": now + 1, "amount": 100, "currency": "USD"}]})      # a future year converts at today's rate
    eng.rates.set("zed", {"currency": "USD", "valid_from": (today + timedelta(days=1)).isoformat(), "rate": 40})
    assert kept_columns(eng)[(forecast, now + 1)] == (315000, "TWD", date(last, 7, 1), today + timedelta(days=1))
    for on in (today, today + timedelta(days=1), date(last, 3, 1)):       # kept, then a new rate, then earlier
        for year in (old, last, now, now + 1):
            assert as_read(eng, year, on) == by_rule(eng, year, on)
    assert as_read(eng, now + 1, today + timedelta(days=1))[forecast] == Decimal("4000.00")
    assert as_read(eng, last, date(last, 3, 1))[book["USD 100"]] == Decimal("3012.35")
    with eng.db.begin() as conn:                                    # written around the engine, as the seeder does
        conn.execute(insert(AccountRevenue), [{"account_id": book["none"], "year": last, "amount": Decimal("1000"),
                                               "currency": "USD"}])
    assert as_read(eng, last, today)[book["none"]] == Decimal("31500.00") == by_rule(eng, last, today)[book["none"]]
    monkeypatch.setenv("KAMFLOW_BASE_CURRENCY", "USD")              # another base: nothing kept holds
    assert as_read(eng, last, today) == by_rule(eng, last, today)
    assert as_read(eng, last, today)[book["USD 100"]] == Decimal("100.00")


def test_migration_0025_fills_the_rows_written_before_it_as_the_engine_keeps_them(book, eng, db_url):
    from engine.db.connect import make_engine
    kept = kept_columns(eng)
    db = make_engine(db_url)
    down_and_up(db, "0024")                         # the columns dropped, then added and filled
    db.dispose()
    assert kept_columns(eng) == kept and sum(v[1] is not None for v in kept.values()) == 11


def test_the_database_ranks_ties_in_code_point_order_and_tiers_as_the_rule_does(eng):
    """Ties broken by id as Python sorts ("B" before "a", "a-c" before "ab": not a locale's order),
    one of them across the 80% line; a year of amounts too large for 64-bit sums is left to Python."""
    today = eng.ctx.clock().date()
    amounts = {"big": 700, "B-tie": 100, "a-tie": 100, "a-c": 50, "ab": 50, "zero": 0}
    with eng.ctx.uow() as uow:
        for account_id, amount in amounts.items():
            uow.session.add(Account(id=account_id, name=account_id, account_type="national", owner="amy"))
            uow.session.add(AccountRevenue(account_id=account_id, year=2000, amount=Decimal(amount), currency="TWD"))
            uow.session.add(AccountRevenue(account_id=account_id, year=2001, amount=Decimal(10 ** 15), currency="TWD"))
        uow.session.flush()
        base_amounts.keep(uow.session, today)
    with eng.ctx.uow(read_only=True) as uow:
        in_sql = [ranked_in_sql(uow.session, year, today) for year in (2000, 2001)]
    read, rule = tiers_both_ways(eng, 2000, today)
    assert read == rule and in_sql[0] == {k: t for k, t in rule.items() if t != "C"}
    assert [rule[k] for k in amounts] == ["A", "A", "B", "B", "C", "C"]      # 80% and 95% reached just before
    assert in_sql[1] is None and tiers_both_ways(eng, 2001, today)[0] == tiers_both_ways(eng, 2001, today)[1]


def test_a_rate_set_while_an_accounts_revenue_is_being_saved_reaches_its_rows(book, eng, db_url):
    """The rate's unit of work waits for the save (PostgreSQL: at the keeping lock; SQLite: behind
    the writer) and then keeps the saved rows again; unqueued, it would commit first, not seeing
    them, and the save would leave them kept at the old rate and trusted."""
    last = years(eng)[1]
    today = eng.ctx.clock().date()
    outsider = create_engine(db_url, isolation_level="AUTOCOMMIT")    # each look at the server anew
    failed = []

    def set_rate():
        try:
            eng.rates.set("zed", {"currency": "USD", "valid_from": f"{last}-07-01", "rate": 33})
        except Exception as exc:            # shown by the assertion below
            failed.append(exc)
    setting = threading.Thread(target=set_rate)
    with eng.ctx.uow() as uow, outsider.connect() as watcher:
        uow.session.add(AccountRevenue(account_id=book["none"], year=last, amount=Decimal(1000), currency="USD"))
        base_amounts.keep(uow.session, today, account_id=book["none"])         # at 31.5, as the save reads it
        setting.start()
        if db_url.startswith("postgresql"):
            wait_until_blocked(watcher)
        else:
            setting.join(0.5)
        assert setting.is_alive()
    setting.join(30)
    outsider.dispose()
    assert failed == []
    assert kept_columns(eng)[(book["none"], last)][0] == 3_300_000
    assert as_read(eng, last, today) == by_rule(eng, last, today)
