"""Personal data about the people at an account (domain §5.1.4), kept apart from everything else.

A contact's personal profile lives in this one table and nowhere else: never in process data,
never in an audit payload (its edits are audited by field name only). Erasing it deletes the
row, so the data is gone while the contact and the audit chains remain.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, UTCDateTime, utcnow
from .workspace import LINE, TEXT


class ContactProfile(Base):
    """What we know of a contact as a person: seen by the account team and their managers only."""

    __tablename__ = "contact_profiles"
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    birthday: Mapped[str] = mapped_column(String(10), default="")          # ISO date, or empty
    family: Mapped[str] = mapped_column(String(TEXT), default="")
    education: Mapped[str] = mapped_column(String(TEXT), default="")
    hobbies: Mapped[str] = mapped_column(String(TEXT), default="")
    career_history: Mapped[str] = mapped_column(String(TEXT), default="")
    goals_this_year: Mapped[str] = mapped_column(String(TEXT), default="")
    career_ambitions: Mapped[str] = mapped_column(String(TEXT), default="")
    role_in_organisation: Mapped[str] = mapped_column(String(TEXT), default="")
    relations_with_colleagues: Mapped[str] = mapped_column(String(TEXT), default="")
    updated_by: Mapped[str | None] = mapped_column(String(LINE))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


PROFILE_FIELDS = ("birthday", "family", "education", "hobbies", "career_history", "goals_this_year",
                  "career_ambitions", "role_in_organisation", "relations_with_colleagues")
