"""What a process keeps about people and rates (engine/reference_cache.py) never outlives a change
made by another process, on both databases: the database counts every write to `users`,
`groups`, `group_members` and `exchange_rates` (migration 0044), a completion reads the counts with
its lock, and an engine that kept the committee or the rates reads them again once they changed."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from engine import Engine
from engine.demo import complete_open, to_committee, to_manager_review
from engine.db.reference_stamps import PEOPLE, RATES

from ..conftest import ROOT
from ..statements import counted
from .test_committee_rounds import budget, deal


def stamps(eng) -> dict[str, int]:
    with eng.db.connect() as conn:
        return dict(conn.execute(text("SELECT name, changes FROM reference_stamps")).all())


WRITES = [
    (PEOPLE, "INSERT INTO users (username, display_name, active, time_zone, locale, notify, created_at) "
             "VALUES ('kim', 'Kim', true, 'UTC', 'en', true, CURRENT_TIMESTAMP)"),
    (PEOPLE, "UPDATE users SET display_name = 'Kim Lee' WHERE username = 'kim'"),
    (PEOPLE, "INSERT INTO groups (name, description, created_at) VALUES ('audit', '', CURRENT_TIMESTAMP)"),
    (PEOPLE, "INSERT INTO group_members (group_name, username) VALUES ('audit', 'kim')"),
    (PEOPLE, "DELETE FROM group_members WHERE username = 'kim'"),
    (PEOPLE, "DELETE FROM groups WHERE name = 'audit'"),
    (PEOPLE, "DELETE FROM users WHERE username = 'kim'"),
    (RATES, "INSERT INTO exchange_rates (base, currency, valid_from, rate, set_at) "
            "VALUES ('TWD', 'JPY', '2026-01-01', 0.21, CURRENT_TIMESTAMP)"),
    (RATES, "UPDATE exchange_rates SET rate = 0.22 WHERE currency = 'JPY'"),
    (RATES, "DELETE FROM exchange_rates WHERE currency = 'JPY'"),
]


def test_every_write_to_people_or_rates_counts_one_change_of_its_kind_whoever_writes_it(eng):
    for kind, statement in WRITES:
        before = stamps(eng)
        with eng.db.begin() as conn:
            conn.execute(text(statement))
        after = stamps(eng)
        other = RATES if kind == PEOPLE else PEOPLE
        assert after[kind] > before[kind] and after[other] == before[other], statement


def votes_of(eng, iid: str) -> set[str]:
    return {t.assignee for t in eng.instance(iid).tasks if t.bpmn_id == "committee_vote"}


@pytest.fixture
def two_processes(kam_eng, db_url):
    """One engine that keeps answers across its calls (`kept`), and another process's engine with its
    own connections (`other`), on one database."""
    other = Engine(db_url, forms_dir=ROOT / "forms")
    yield kam_eng.home, other
    other.close()


def test_a_committee_member_another_process_adds_or_removes_gets_the_next_vote(two_processes):
    kept, other = two_processes
    assert votes_of(kept, to_committee(kept, "amy", "First")) == {"cat", "cid", "col"}
    other.add_user("cal", groups=["committee"], department="hq", reports_to="dan")
    assert votes_of(kept, to_committee(kept, "amy", "Second")) == {"cal", "cat", "cid", "col"}
    other.groups.remove_member("committee", "cid", "zed")
    assert votes_of(kept, to_committee(kept, "amy", "Third")) == {"cal", "cat", "col"}


def test_an_engine_that_kept_the_committee_asks_nobody_again_while_nothing_changed(two_processes):
    kept, _other = two_processes
    to_committee(kept, "amy", "First")                      # the committee and the rates read, and kept
    iid = to_manager_review(kept, "amy", "Second")
    with counted(kept.db) as seen:
        complete_open(kept, iid, "manager_review")
    assert votes_of(kept, iid) == {"cat", "cid", "col"}
    assert seen.count("SELECT exchange_rates") == 0, seen.report()
    assert not [s for s in seen.statements if "JOIN group_members AS member" in s], seen.report()


def test_a_rate_another_process_sets_values_the_next_approval_at_it(two_processes):
    kept, other = two_processes

    def approved_in_dollars(name: str) -> str:
        iid = kept.start("key_account_development", "amy", {"project_name": name})
        for step in ("customer_info", "competitor_info", "decision_makers", "decision_participants"):
            complete_open(kept, iid, step)
        complete_open(kept, iid, "project_info", project=budget(50_000, "USD")["project"])
        complete_open(kept, iid, "proposal")
        complete_open(kept, iid, "manager_review")          # the voting rule converts at today's rate
        return iid
    other.rates.set("zed", {"currency": "USD", "valid_from": "2020-01-01", "rate": 30})
    assert deal(kept, approved_in_dollars("At 30")) == (Decimal("1500000.00"), "TWD")
    other.rates.set("zed", {"currency": "USD", "valid_from": "2021-01-01", "rate": 40})
    assert deal(kept, approved_in_dollars("At 40")) == (Decimal("2000000.00"), "TWD")
