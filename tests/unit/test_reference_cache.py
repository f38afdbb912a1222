"""A process keeps an answer about people or rates only under the count of changes it was read at."""
from __future__ import annotations

from engine.reference_cache import ReferenceCache


def reader(answer):
    calls = []

    def read():
        calls.append(1)
        return answer
    return read, calls


def test_an_answer_kept_at_a_count_is_given_again_at_that_count_without_reading():
    cache, (read, calls) = ReferenceCache(), reader(("cat", "col"))
    assert cache.get(("members", "committee"), 4, read) == ("cat", "col")
    assert cache.get(("members", "committee"), 4, read) == ("cat", "col")
    assert len(calls) == 1


def test_a_changed_count_reads_again_and_keeps_the_new_answer():
    cache = ReferenceCache()
    cache.get("rates", 1, lambda: ("USD 30",))
    read, calls = reader(("USD 40",))
    assert cache.get("rates", 2, read) == ("USD 40",)
    assert cache.get("rates", 2, read) == ("USD 40",) and len(calls) == 1


def test_an_unknown_count_always_reads_and_keeps_nothing():
    cache, (read, calls) = ReferenceCache(), reader(("cat",))
    cache.get("k", None, read)
    cache.get("k", None, read)
    other, other_calls = reader(("ken",))
    assert cache.get("k", 7, other) == ("ken",) and len(calls) == 2 and len(other_calls) == 1


def test_a_slow_reader_of_an_older_count_does_not_replace_a_newer_answer():
    cache = ReferenceCache()
    cache.get("k", 5, lambda: "new")
    assert cache.get("k", 3, lambda: "old") == "old"          # its own caller gets what it read ...
    read, calls = reader("again")
    assert cache.get("k", 5, read) == "new" and calls == []   # ... the newer answer stays kept


def test_keys_are_kept_apart():
    cache = ReferenceCache()
    cache.get(("members", "committee", None), 1, lambda: ("cat",))
    assert cache.get(("members", "chair", None), 1, lambda: ("col",)) == ("col",)
