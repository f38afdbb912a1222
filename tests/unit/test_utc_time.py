"""Times cross the database as naive UTC and come back aware in UTC, the same moment."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from engine.db.utc_time import UTCDateTime

TAIPEI = timezone(timedelta(hours=8))


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
def test_a_time_is_stored_as_naive_utc_and_read_back_as_the_same_aware_moment(dialect):
    kind = UTCDateTime()
    moment = datetime(2026, 12, 3, 8, 30, 15, 123456, tzinfo=TAIPEI)
    stored = kind.process_bind_param(moment, dialect)
    assert stored == datetime(2026, 12, 3, 0, 30, 15, 123456) and stored.tzinfo is None
    back = kind.process_result_value(stored, dialect)
    assert back == moment and back.tzinfo is timezone.utc and back.microsecond == 123456
    assert kind.process_bind_param(None, dialect) is None and kind.process_result_value(None, dialect) is None


def test_a_naive_time_is_refused_before_it_reaches_the_database():
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 12, 3, 8, 30), sqlite.dialect())


def test_a_stored_time_read_back_keeps_its_fold():
    back = UTCDateTime().process_result_value(datetime(2026, 11, 1, 1, 30, fold=1), sqlite.dialect())
    assert back.fold == 1 and back.tzinfo is timezone.utc
