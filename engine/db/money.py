"""Exchange rates into the base currency, dated, as admins maintain them."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, UTCDateTime, utcnow


class ExchangeRate(Base):
    """From `valid_from` on, one unit of `currency` is worth `rate` units of `base`."""

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("base", "currency", "valid_from"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    base: Mapped[str] = mapped_column(String(3))
    currency: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8))
    set_by: Mapped[str | None] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
