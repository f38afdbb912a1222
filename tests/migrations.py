"""A test database taken down to an earlier migration and up to the head again, as an upgrade of a
running deployment finds it: what a migration fills must equal what was kept as work was done."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from engine.db.connect import MIGRATIONS


def down_and_up(db, revision: str) -> None:
    """`db` (an SQLAlchemy engine) down to `revision`, its later migrations undone, then up to the
    head; each move in a transaction of its own."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    for move, target in ((command.downgrade, revision), (command.upgrade, "head")):
        with db.begin() as conn:
            cfg.attributes["connection"] = conn
            move(cfg, target)
