"""engine/text.py and the engine's form validation: control characters refused (line breaks
only where a text area is shown), lengths from the columns, field names in every error."""
from __future__ import annotations

import pytest

from engine import forms, zones
from engine.db.schema import Instance, Task, User
from engine.errors import ValidationFailed
from engine.text import LIMITS, NO_CONTROL, ONE_LINE, column_limit, could_be_key, problem, trim

from .test_form_macros import render, schema_of, uischema_of
from .test_formdata import FORM_IDS

CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]


@pytest.mark.parametrize("char", CONTROLS + ["\ud800", "\udfff"], ids=lambda c: f"U+{ord(c):04X}")
def test_every_control_character_and_lone_surrogate_is_refused_in_a_one_line_field(char):
    assert problem(f"a{char}b") == ONE_LINE


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_text_area_takes_tab_and_line_breaks_but_no_other_control_character(char):
    assert problem(f"a{char}b", multiline=True) == (None if char in "\t\n\r" else NO_CONTROL)


@pytest.mark.parametrize("text", ["台北 Taipei Москва", "\u202eעברית\u200f العربية", "e\u0301 🚀 \ufeff\u200d",
                                  "line\u2028separator", "%_'\"<b>&amp;"])
def test_unusual_but_printable_text_is_accepted(text):
    assert problem(text) is None


def test_a_limit_is_checked_in_characters_and_said_with_its_number():
    assert problem("台" * 100, limit=100) is None
    assert problem("台" * 101, limit=100) == "must be at most 100 characters"


def test_limits_are_the_declared_sizes_of_the_columns_the_text_is_stored_in():
    assert (LIMITS["username"], LIMITS["department"], LIMITS["display_name"], LIMITS["email"]) == \
        (User.username.type.length, User.department.type.length, User.display_name.type.length,
         User.email.type.length)
    assert LIMITS["search"] == Instance.project_name.type.length and LIMITS["step"] == Task.bpmn_id.type.length
    with pytest.raises(ValueError):
        column_limit(Instance.workflow)                  # Text: no size to derive a limit from


def test_every_answer_that_becomes_a_column_fits_it():
    """The customer's name becomes the instance's account name: its form must not allow more."""
    name = schema_of("customer_info")["properties"]["customer"]["properties"]["name"]
    assert name["maxLength"] <= column_limit(Instance.account_name)


def test_a_key_no_row_can_have_is_recognised_before_any_lookup():
    assert could_be_key("amy", 64) and not could_be_key("a\x00y", 64) and not could_be_key("a" * 65, 64)
    assert not could_be_key(None, 64)


def test_trimming_takes_spaces_of_every_script_but_never_a_control_character():
    assert trim("\u3000 台北\u00a0\n") == "台北"
    assert trim(" name\x1f ") == "name\x1f" and trim("\x85x\x00") == "\x85x\x00"


def test_a_nul_in_a_nested_answer_is_refused_at_its_own_field():
    with pytest.raises(ValidationFailed) as failed:
        forms.validate(schema_of("decision_makers"), {"decision_makers": [{"name": "Lin\x00"}]},
                       uischema_of("decision_makers"))
    assert failed.value.errors[0].path == "$.decision_makers[0].name"
    assert failed.value.errors[0].message == ONE_LINE
    assert all(e.path != "$.decision_makers[0].name" or e.message == ONE_LINE for e in failed.value.errors)


def test_line_breaks_pass_in_a_text_area_and_are_refused_in_a_one_line_field():
    schema, ui = schema_of("customer_info"), uischema_of("customer_info")
    with pytest.raises(ValidationFailed) as failed:
        forms.validate(schema, {"customer": {"name": "Taipei\nMetro", "business": "Runs\nthe metro"}}, ui)
    paths = {e.path: e.message for e in failed.value.errors}
    assert paths["$.customer.name"] == ONE_LINE and "$.customer.business" not in paths


def test_a_field_name_with_control_characters_is_refused_without_quoting_it():
    with pytest.raises(ValidationFailed) as failed:
        forms.validate(schema_of("proposal"), {"proposal": {"sum\x00mary": "x"}}, uischema_of("proposal"))
    assert ("$.proposal", "holds a field name with control characters") in \
        [(e.path, e.message) for e in failed.value.errors]
    assert not any("\x00" in e.path or "\x00" in e.message for e in failed.value.errors)


def test_a_too_long_or_mistyped_answer_is_named_without_quoting_what_was_typed():
    with pytest.raises(ValidationFailed) as failed:
        forms.validate(schema_of("customer_info"), {"customer": {"name": "x" * 10_000, "criteria": {
            "sales_volume": "many"}}})
    messages = {e.path: e.message for e in failed.value.errors}
    assert messages["$.customer.name"] == "must be at most 200 characters"
    assert messages["$.customer.criteria.sales_volume"] == "must be a whole number"
    assert all("xxxx" not in m and "many" not in m for m in messages.values())


def test_without_a_form_only_control_characters_other_than_line_breaks_are_refused():
    forms.validate(None, {"comment": "two\nlines\tand a tab"})
    with pytest.raises(ValidationFailed):
        forms.validate(None, {"comment": "bell\x07"})


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_engine_and_the_form_template_agree_on_which_fields_are_text_areas(form_id):
    """Line breaks are accepted exactly where the page offers a text area to type them."""
    schema, ui = schema_of(form_id), uischema_of(form_id)
    _html, page = render(form_id)

    def leaves(node, ui_node, path):
        for name, sub in (node.get("properties") or {}).items():
            sub_ui, where = ui_node.get(name) or {}, f"{path}-{name}" if path else name
            if sub.get("type") == "object":
                yield from leaves(sub, sub_ui, where)
            elif sub.get("type") == "array" and (sub.get("items") or {}).get("type") == "object":
                yield from leaves(sub["items"], sub_ui.get("items") or {}, f"{where}-0")     # the first row
            elif sub.get("type") == "string" and not sub.get("readOnly") and "oneOf" not in sub and "enum" not in sub:
                yield where, forms.multiline(sub, sub_ui)
    checked = 0
    for where, multiline in leaves(schema, ui, ""):
        found = page.xpath(f"//*[@id='field-{where}']")
        if found:
            assert (found[0].tag == "textarea") == multiline, where
            checked += 1
    assert checked


def test_a_time_zone_outside_the_tz_database_is_unknown_and_reads_as_utc():
    assert zones.is_known("Asia/Taipei") and zones.is_known("UTC")
    assert not zones.is_known("Mars/Olympus_Mons") and not zones.is_known("../etc/passwd")
    assert not zones.is_known("Asia/Taipei\x00") and not zones.is_known(None)
    assert str(zones.zone_or_utc("Mars/Olympus_Mons")) == "UTC" and zones.effective("Mars/Olympus_Mons") == "UTC"
