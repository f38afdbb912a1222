"""What a failed JSON Schema keyword says to a person: one short English message per keyword.

jsonschema's own messages quote the value and the schema ("7 is greater than the maximum of 5",
"'x' is not one of ['majority', 'two_thirds']"): they show internal keys and cannot be
translated. These messages are fixed sentences with at most the limits in them, so the web
UI's catalogs can word each of them in the reader's language (webui/common/messages.py); the
field is named by its title where the message is shown, never here.
"""
from __future__ import annotations

from numbers import Number

# Messages with no number in them.
REQUIRED = "is required"
NOT_A_FIELD = "is not a field of this form"
NOT_A_CHOICE = "must be one of the choices"
DOES_NOT_FIT = "does not fit this field"
NOT_EMPTY = "must not be empty"
PATTERN = "is not in the expected form"
UNIQUE = "lists the same entry twice"
FIELD_NAMES = "holds a field name this form does not take"
BY_TYPE = {"integer": "must be a whole number", "number": "must be a number", "string": "must be text",
           "boolean": "must be yes or no", "array": "must be a list", "object": "must be a group of answers",
           "null": "must be left empty"}
BY_FORMAT = {"date": "must be a date such as 2026-12-31", "email": "must be an e-mail address",
             "date-time": "must be a date and time", "time": "must be a time of day", "uri": "must be a web address"}

# Messages with limits in them: "{n}", "{low}", "{high}" are numbers as a person writes them.
BETWEEN_WHOLE = "must be a whole number from {low} to {high}"
BETWEEN = "must be a number from {low} to {high}"
AT_LEAST = "must be {n} or more"
AT_MOST = "must be {n} or less"
MORE_THAN = "must be more than {n}"
LESS_THAN = "must be less than {n}"
MULTIPLE_OF = "must be a multiple of {n}"
MAX_LENGTH = "must be at most {n} characters"
MIN_LENGTH = "must be at least {n} characters"
MIN_ITEMS = "needs at least {n} entries"
MAX_ITEMS = "may have at most {n} entries"
MIN_ANSWERS = "needs at least {n} answers"
MAX_ANSWERS = "may have at most {n} answers"

TEMPLATES = (BETWEEN_WHOLE, BETWEEN, AT_LEAST, AT_MOST, MORE_THAN, LESS_THAN, MULTIPLE_OF, MAX_LENGTH,
             MIN_LENGTH, MIN_ITEMS, MAX_ITEMS, MIN_ANSWERS, MAX_ANSWERS)


def number(value) -> str:
    """5 rather than 5.0; 0.5 stays 0.5."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _range(schema: dict, rule: str, value) -> str:
    """minimum/maximum, worded with the other bound when the field has both (1 to 5)."""
    low, high = schema.get("minimum"), schema.get("maximum")
    if isinstance(low, Number) and isinstance(high, Number) and not isinstance(low, bool) \
            and not isinstance(high, bool):
        template = BETWEEN_WHOLE if schema.get("type") == "integer" else BETWEEN
        return template.format(low=number(low), high=number(high))
    return (AT_LEAST if rule == "minimum" else AT_MOST).format(n=number(value))


def message(rule: str, value, schema: dict) -> str:
    """The message for a failed keyword `rule` whose schema value is `value` (in `schema`)."""
    if rule in ("minimum", "maximum"):
        return _range(schema, rule, value)
    if rule == "minLength" and value == 1:
        return NOT_EMPTY
    limited = {"exclusiveMinimum": MORE_THAN, "exclusiveMaximum": LESS_THAN, "multipleOf": MULTIPLE_OF,
               "maxLength": MAX_LENGTH, "minLength": MIN_LENGTH, "minItems": MIN_ITEMS, "maxItems": MAX_ITEMS,
               "minContains": MIN_ITEMS, "maxContains": MAX_ITEMS,
               "minProperties": MIN_ANSWERS, "maxProperties": MAX_ANSWERS}.get(rule)
    if limited is not None:
        return limited.format(n=number(value))
    if rule == "type":
        return BY_TYPE.get(value, DOES_NOT_FIT) if isinstance(value, str) else DOES_NOT_FIT
    if rule == "format":
        return BY_FORMAT.get(value, PATTERN)
    fixed = {"pattern": PATTERN, "enum": NOT_A_CHOICE, "const": NOT_A_CHOICE, "uniqueItems": UNIQUE,
             "propertyNames": FIELD_NAMES, "required": REQUIRED, "dependentRequired": REQUIRED,
             "additionalProperties": NOT_A_FIELD, "unevaluatedProperties": NOT_A_FIELD}
    return fixed.get(rule, DOES_NOT_FIT)
