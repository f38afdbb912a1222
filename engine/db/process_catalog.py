"""The process catalog's tables: which deployed processes people may start, who, and what for
(engine/usecases/process_catalog.py keeps them)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, UTCDateTime, utcnow


class CatalogEntry(Base):
    """A deployed process in the process catalog: may people start it, who, and what it is for."""

    __tablename__ = "process_catalog"
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    offered: Mapped[bool] = mapped_column(Boolean, default=True)      # False: only admins start it
    home: Mapped[bool] = mapped_column(Boolean, default=False)        # the product's own process
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)    # locale -> text
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CatalogGroup(Base):
    """A group whose members may start a catalog process; a process naming no group is for everyone."""

    __tablename__ = "process_catalog_groups"
    process_id: Mapped[str] = mapped_column(ForeignKey("process_catalog.process_id", ondelete="CASCADE"),
                                            primary_key=True)
    group_name: Mapped[str] = mapped_column(ForeignKey("groups.name", onupdate="CASCADE"), primary_key=True)
