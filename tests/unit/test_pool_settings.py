"""Pool settings from the environment: defaults, each variable honoured, a bad value named."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from engine.db.connect import make_engine
from engine.db.pool import PoolSettings
from engine.errors import SettingError

PG = "postgresql+psycopg://kamflow:x@127.0.0.1:1/none"      # never connected to


def test_without_variables_a_process_keeps_five_connections_and_may_open_ten_more():
    assert PoolSettings.from_env({}) == PoolSettings(size=5, max_overflow=10, timeout=30.0, recycle=1800.0,
                                                     connect_timeout=10, ping_after=10.0)


def test_a_checkout_is_not_pinged_by_the_pool_itself_and_the_idle_time_before_a_ping_is_a_variable():
    settings = PoolSettings.from_env({"KAMFLOW_DB_PING_AFTER": "2.5"})
    assert settings.ping_after == 2.5 and "pool_pre_ping" not in settings.engine_arguments()


def test_each_variable_reaches_the_postgresql_pool():
    env = {"KAMFLOW_DB_POOL_SIZE": "3", "KAMFLOW_DB_MAX_OVERFLOW": "0", "KAMFLOW_DB_POOL_TIMEOUT": "2.5",
           "KAMFLOW_DB_POOL_RECYCLE": "600", "KAMFLOW_DB_CONNECT_TIMEOUT": "4"}
    db = make_engine(PG, PoolSettings.from_env(env))
    try:
        assert (db.pool.size(), db.pool._max_overflow, db.pool._timeout, db.pool._recycle) == (3, 0, 2.5, 600.0)
        seen = {}

        @event.listens_for(db, "do_connect")
        def capture(_dialect, _record, _cargs, cparams):
            seen.update(cparams)
            raise ConnectionAbortedError("only looking at what the driver would be given")
        with pytest.raises(Exception, match="only looking"):
            db.connect()
        assert seen["connect_timeout"] == 4
    finally:
        db.dispose()


def test_make_engine_reads_the_environment_when_given_no_settings(monkeypatch):
    monkeypatch.setenv("KAMFLOW_DB_POOL_SIZE", "7")
    db = make_engine(PG)
    try:
        assert db.pool.size() == 7
    finally:
        db.dispose()


@pytest.mark.parametrize("variable, value", [("KAMFLOW_DB_POOL_SIZE", "0"), ("KAMFLOW_DB_POOL_SIZE", "many"),
                                             ("KAMFLOW_DB_POOL_SIZE", "2.5"), ("KAMFLOW_DB_MAX_OVERFLOW", "-1"),
                                             ("KAMFLOW_DB_POOL_TIMEOUT", "nan"), ("KAMFLOW_DB_CONNECT_TIMEOUT", "0"),
                                             ("KAMFLOW_DB_PING_AFTER", "-1")])
def test_a_value_the_pool_cannot_use_is_refused_naming_its_variable(variable, value):
    with pytest.raises(SettingError, match=variable):
        PoolSettings.from_env({variable: value})
