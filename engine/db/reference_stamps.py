"""How many times the people and the exchange rates have changed, counted by the database.

Migration 0044's triggers add one to a name's count whenever a row it covers is written, whoever
writes it, so a process that kept an answer under a count knows it still holds while the count
reads the same (engine/reference_cache.py). A completion reads both counts with its lock.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import BigInteger, String, select
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

PEOPLE, RATES = "people", "rates"       # users, groups, group_members; exchange_rates


class ReferenceStamp(Base):
    __tablename__ = "reference_stamps"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    changes: Mapped[int] = mapped_column(BigInteger)


class Stamps(NamedTuple):
    """The counts as one statement read them (None: no such row, so nothing may be kept)."""
    people: int | None
    rates: int | None


def _count_of(name: str):
    return select(ReferenceStamp.changes).where(ReferenceStamp.name == name).scalar_subquery()


# columns a statement that already runs can carry (db/locks.py's lock of a task)
PEOPLE_STAMP = _count_of(PEOPLE).label("people_stamp")
RATES_STAMP = _count_of(RATES).label("rates_stamp")
