"""The unit of work: one transaction per use case.

`with uow:` commits when the block ends cleanly and rolls back when it raises, so a
use case either changes everything it meant to or nothing. Audit events recorded during the
block are appended last, just before the commit (see engine/auditlog.py).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from .. import auditlog
from . import late_inserts


# SQLite: our `begin` hook (connect.py) sends no BEGIN; PostgreSQL: the driver sends none
_WITHOUT_TRANSACTION = {"sqlite": {"sqlite_begin": "NONE"}, "postgresql": {"isolation_level": "AUTOCOMMIT"}}


class UnitOfWork:
    def __init__(self, factory: sessionmaker, read_only: bool = False, optimistic: bool = False,
                 one_statement: bool = False):
        """`optimistic`: on SQLite, read ahead of the writers' turn, which is taken at the first
        write and checked against what the locks read (db/read_ahead.py). `one_statement`: a
        reader of a single SELECT, which needs no transaction around it (one statement sees one
        snapshot on both databases), so no BEGIN or ROLLBACK is sent."""
        self._factory = factory
        self._read_only = read_only or one_statement
        self._optimistic = optimistic
        self._one_statement = one_statement
        self.session: Session | None = None
        self._directory = None
        self._on_success: list = []

    def on_success(self, callback) -> None:
        """Run `callback` after the block ends cleanly (after the commit, for writers)."""
        self._on_success.append(callback)

    @property
    def directory(self):
        """The people as this transaction sees them, looked up once each."""
        if self._directory is None:
            from ..directory import Directory
            self._directory = Directory(self.session)
        return self._directory

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction that may fail alone (SAVEPOINT): when the block raises, its
        rows, its queued audit events and its after-commit callbacks are dropped, everything
        before it stays, and the exception goes on to the caller."""
        queued, callbacks = auditlog.queued_count(self.session), len(self._on_success)
        later = late_inserts.count(self.session)
        try:
            with self.session.begin_nested():
                yield
                self.session.flush()
        except BaseException:
            auditlog.discard_queued(self.session, keep=queued)
            late_inserts.discard(self.session, keep=later)
            del self._on_success[callbacks:]
            raise

    def __enter__(self) -> "UnitOfWork":
        self.session = self._factory()
        if self._one_statement:
            self.session.connection(execution_options=_WITHOUT_TRANSACTION[self.session.get_bind().dialect.name])
        elif self._read_only:   # readers must not queue behind SQLite's single writer
            self.session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        elif self._optimistic:  # nor should a writer's reading and pure work (read_ahead.py)
            self.session.connection(execution_options={"sqlite_begin": "OPTIMISTIC"})
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        callbacks, self._on_success = self._on_success, []
        try:
            if exc_type is not None:
                self.session.rollback()
            elif not self._read_only:
                self.session.flush()                 # instance, tasks first ...
                auditlog.append_queued(self.session, late_inserts.take(self.session))  # ... audit heads last
                self.session.commit()
            elif auditlog.pending(self.session) or late_inserts.count(self.session):
                raise RuntimeError("an audit event or a row was recorded in a read-only unit of work")
            # a clean read-only block just closes: its objects keep their loaded values
        finally:
            self.session.close()
            self.session = None
            self._directory = None
        if exc_type is None:
            for callback in callbacks:
                callback()
