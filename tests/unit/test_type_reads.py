"""How `reports.kept_type` reads the values at a type's ranks (pure): neighbouring places in one
bucket read together, and each read from the bucket's nearer end."""
from engine.reports.buckets import Place
from engine.reports.kept_type import nearer_end, runs


def test_the_medians_two_neighbouring_places_are_one_read_and_the_p90_another():
    at = {50: Place(1230, 7), 51: Place(1230, 8), 90: Place(1269, 2)}
    assert runs(at) == [(1230, 7, [50, 51]), (1269, 2, [90])]


def test_places_in_one_bucket_apart_or_in_two_buckets_are_read_apart():
    assert runs({5: Place(1230, 7), 9: Place(1230, 11)}) == [(1230, 7, [5]), (1230, 11, [9])]
    assert runs({5: Place(1230, 9), 6: Place(1231, 0)}) == [(1230, 9, [5]), (1231, 0, [6])]


def test_a_place_in_a_buckets_upper_half_is_read_from_its_end():
    assert nearer_end(10, 2, 1) == (False, 2)           # 2 skipped from the start, 7 from the end
    assert nearer_end(10, 8, 1) == (True, 1)            # the value at 9 skipped
    assert nearer_end(10, 8, 2) == (True, 0)            # places 8 and 9: the last two
    assert nearer_end(1, 0, 1) == (False, 0)
    assert nearer_end(4, 1, 2) == (False, 1)            # as many skipped either way: from the start
