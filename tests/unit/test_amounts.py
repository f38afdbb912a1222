"""Money as people type it becomes the right number, or is refused; never a wrong number."""
from __future__ import annotations

import pytest

from webui.common.amounts import parse_amount
from webui.common.formdata import parse_form

SCHEMA = {"type": "object", "properties": {"amount": {"type": "number", "minimum": 0},
                                           "people": {"type": "integer"}}}


@pytest.mark.parametrize(("typed", "amount"), [
    ("500萬", 5_000_000), ("5,000,000", 5_000_000), ("NT$500萬", 5_000_000), ("NT$ 5,000,000", 5_000_000),
    ("1.2億", 120_000_000), ("3千萬", 30_000_000), ("US$30,000", 30_000), ("500萬元", 5_000_000),
    ("TWD 1,250.5", 1250.5), ("¥8000", 8000), ("12", 12),
])
def test_an_amount_as_people_type_it_is_the_number_they_mean(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["五百萬", "500萬元整", "5,00,000", "500 thousand", "約500萬", "NT$", ""])
def test_anything_else_is_not_an_amount(typed):
    assert parse_amount(typed) is None


def test_a_form_keeps_the_meant_number_or_the_typed_text_for_validation_to_refuse():
    assert parse_form(SCHEMA, {"amount": "NT$500萬"}) == {"amount": 5_000_000}
    assert parse_form(SCHEMA, {"amount": "五百萬"}) == {"amount": "五百萬"}      # refused at its field, not 500
    assert parse_form(SCHEMA, {"people": "1.5萬"}) == {"people": 15_000}
    assert parse_form(SCHEMA, {"people": "1.23456萬"}) == {"people": "1.23456萬"}
