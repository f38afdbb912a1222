"""Amounts as people type them: "500萬", "5,000,000", "NT$500萬", "1.2億", "US$ 30,000".

A currency mark around the number is dropped (the form's currency field says the currency);
萬, 億 and 千 multiply it. Anything else - "500萬元整", "五百萬" - is not an amount, so the
field is refused with a clear message instead of saving a wrong number.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_MARKS = r"(?:NT\$|US\$|HK\$|RMB|TWD|NTD|USD|CNY|EUR|JPY|[$€¥￥])"
_AMOUNT = re.compile(rf"{_MARKS}?\s*(?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
                     r"(?P<unit>千萬|百萬|萬|億|千)?\s*(?:元|圓)?\s*" + rf"{_MARKS}?", re.IGNORECASE)
_UNITS = {None: 1, "千": 1_000, "萬": 10_000, "百萬": 1_000_000, "千萬": 10_000_000, "億": 100_000_000}


def parse_amount(text: str) -> int | float | None:
    """The amount `text` spells, or None when it spells none (then nothing is guessed)."""
    found = _AMOUNT.fullmatch(text.strip())
    if found is None:
        return None
    try:
        value = Decimal(found["number"].replace(",", "")) * _UNITS[found["unit"]]
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
