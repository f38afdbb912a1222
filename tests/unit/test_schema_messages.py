"""Every JSON Schema keyword fails with a fixed sentence a person can read (and a catalog can
translate): limits in words, never the typed value, the schema or an internal key."""
from __future__ import annotations

import pytest

from engine import ValidationFailed, forms
from engine import schema_messages as words

# (keyword, field schema, a failing value)
FAILING = [
    ("type", {"type": "integer"}, "seven"),
    ("type", {"type": "array"}, "x"),
    ("enum", {"enum": ["majority", "two_thirds"]}, "plurality"),
    ("const", {"const": "yes"}, "no"),
    ("oneOf", {"oneOf": [{"const": "global"}, {"const": "national"}]}, "local"),
    ("anyOf", {"anyOf": [{"type": "integer"}, {"type": "boolean"}]}, "x"),
    ("not", {"not": {"type": "string"}}, "x"),
    ("allOf", {"allOf": [{"type": "string"}]}, 3),
    ("multipleOf", {"type": "number", "multipleOf": 0.5}, 0.3),
    ("maximum", {"type": "integer", "minimum": 1, "maximum": 5}, 7),
    ("minimum", {"type": "number", "minimum": 0}, -100),
    ("maximum", {"type": "number", "maximum": 100.0}, 101),
    ("exclusiveMinimum", {"type": "number", "exclusiveMinimum": 0}, 0),
    ("exclusiveMaximum", {"type": "number", "exclusiveMaximum": 10}, 10),
    ("maxLength", {"type": "string", "maxLength": 3}, "abcd"),
    ("minLength", {"type": "string", "minLength": 1}, ""),
    ("minLength", {"type": "string", "minLength": 4}, "abc"),
    ("pattern", {"type": "string", "pattern": "^P"}, "x"),
    ("format", {"type": "string", "format": "date"}, "31/12"),
    ("minItems", {"type": "array", "minItems": 2}, ["a"]),
    ("maxItems", {"type": "array", "maxItems": 1}, ["a", "b"]),
    ("uniqueItems", {"type": "array", "uniqueItems": True}, ["a", "a"]),
    ("contains", {"type": "array", "contains": {"const": "x"}}, ["a"]),
    ("minProperties", {"type": "object", "minProperties": 1}, {}),
    ("maxProperties", {"type": "object", "maxProperties": 1}, {"a": 1, "b": 2}),
    ("propertyNames", {"type": "object", "propertyNames": {"maxLength": 2}}, {"abc": 1}),
    ("false schema", False, "anything"),
]
FIXED = {words.REQUIRED, words.NOT_A_FIELD, words.NOT_A_CHOICE, words.DOES_NOT_FIT, words.NOT_EMPTY,
         words.PATTERN, words.UNIQUE, words.FIELD_NAMES, *words.BY_TYPE.values(), *words.BY_FORMAT.values()}


def _messages(field, value) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        forms.validate({"type": "object", "properties": {"f": field}}, {"f": value})
    return [e.message for e in caught.value.errors]


def _is_known(message: str) -> bool:
    if message in FIXED:
        return True
    return any(_fills(template, message) for template in words.TEMPLATES)


def _fills(template: str, message: str) -> bool:
    head, _, _ = template.partition("{")
    tail = template.rsplit("}", 1)[-1]
    return message.startswith(head) and message.endswith(tail)


@pytest.mark.parametrize(("keyword", "field", "value"), FAILING, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(FAILING)])
def test_every_keyword_fails_with_a_fixed_sentence_that_quotes_nothing_typed(keyword, field, value):
    for message in _messages(field, value):
        assert _is_known(message), message


def test_a_score_out_of_range_names_both_limits_as_a_whole_number():
    assert _messages({"type": "integer", "minimum": 1, "maximum": 5}, 7) == ["must be a whole number from 1 to 5"]
    assert _messages({"type": "number", "minimum": 0.0, "maximum": 2.5}, 3) == ["must be a number from 0 to 2.5"]


def test_a_single_limit_reads_as_or_more_or_less():
    assert _messages({"type": "number", "minimum": 0}, -100) == ["must be 0 or more"]
    assert _messages({"type": "number", "maximum": 10}, 11) == ["must be 10 or less"]


def test_a_choice_outside_the_list_never_lists_the_internal_keys():
    assert _messages({"enum": ["majority", "two_thirds"]}, "x") == [words.NOT_A_CHOICE]


def test_a_dependent_field_is_required_on_itself():
    schema = {"type": "object", "properties": {"a": {}, "b": {}}, "dependentRequired": {"a": ["b"]}}
    with pytest.raises(ValidationFailed) as caught:
        forms.validate(schema, {"a": 1})
    assert [(e.path, e.message) for e in caught.value.errors] == [("$.b", words.REQUIRED)]
