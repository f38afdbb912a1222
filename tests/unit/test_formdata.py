"""webui.common.formdata: flat HTML form fields <-> the documents forms/*.schema.json describe.

No Flask app and no database: plain dicts, a werkzeug MultiDict and the real form schemas.
"""
from __future__ import annotations

import copy
import json
import pathlib

import pytest
from jsonschema import Draft202012Validator
from werkzeug.datastructures import MultiDict

from engine.errors import FieldError, ValidationFailed
from engine.forms import validate
from webui.common.formdata import errors_by_field, field_name, flatten, parse_form, redisplay

FORMS = pathlib.Path(__file__).resolve().parents[2] / "forms"
FORM_IDS = sorted(p.name.removesuffix(".schema.json") for p in FORMS.glob("*.schema.json"))
HEADER = {"project_name": "台塑食品 ERP 導入", "filled_by": "mei.lin", "date_filled": "2025-03-14"}

PERSON = {"name": "陳文雄", "title": "財務長", "department": "Finance", "department_kind": "supporting",
          "role": "decision_maker", "top_executive": True,
          "evidence": "Attended our demonstration on 2025-02-20.\nAccepted a lunch with our CEO."}

# What a user types into each form (the header is the engine's, so it is not here).
FILLED = {
    "customer_info": {"customer": {
        "name": "Formosa Foods Co., Ltd.", "account_type": "national", "industry": "食品製造",
        "business": "Frozen foods sold through 1,200 stores.\nBakery in Taoyuan.",
        "organisation_structure": "Head office in Taoyuan; IT reports to the CFO.",
        "contact_channels": [{"channel": "phone", "detail": "02-2345-6789"}, {"channel": "visit"}],
        "purchasing_department": "Procurement",
        "supporting_departments": ["Information Technology", "Finance"],
        "leaders": [{"name": "Chen Wen-hsiung", "title": "CFO"}, {"name": "Lin Ya-ting"}],
        "criteria": {"sales_volume": 4, "technology_absorption": 3, "market_strength": 5,
                     "financial_health": 4},
    }},
    "competitor_info": {"competitors": [
        {"competitor": "Acme Systems", "products_in_use": "Warehouse module since 2018",
         "customer_satisfaction": 2,
         "sales_reps": [{"name": "Wang Da-wei",
                         "relationship_with_customer": "Wang knows the procurement manager well (trust)."}]},
        {"competitor": "Globex"},
    ]},
    "project_info": {"project": {
        "problem_to_solve": "Food-safety traceability across four plants.",
        "decision_date": "2025-09-30", "budget_amount": 48000000.5, "budget_currency": "TWD",
    }},
    "decision_makers": {"decision_makers": [PERSON]},
    "decision_participants": {"decision_participants": [
        {"name": "Lin Ya-ting", "role": "user", "top_executive": False}]},
    "proposal": {"proposal": {
        "summary": "Traceability-first ERP rollout.", "solution": "Our ERP, plant by plant.",
        "expected_revenue": 42000000, "currency": "USD", "risks": "Acme's incumbent module."}},
    "manager_review": {"manager_review": {
        "decision": "return", "return_to": "information", "reason_code": "incomplete_information",
        "comment": "Add the competitors' prices."}},
    "committee_vote": {"vote": {"decision": "approve"}},
    "chair_tiebreak": {"tiebreak": {"decision": "decline", "comment": "Too risky this year."}},
    "authorisation": {"authorisation": {
        "project_owner": "mei.lin", "team": ["mei.lin", "jason.wu", "王小明"],
        "objectives": "Win the tender.",
        "budget_ceiling": {"amount": 1500000, "currency": "TWD"},
        "scope": "Respond to the tender.", "valid_until": "2025-12-31"}},
    "new_project": {"project_name": "台塑食品 ERP 導入"},
}


def schema_of(form_id: str) -> dict:
    return json.loads((FORMS / f"{form_id}.schema.json").read_text(encoding="utf-8"))


CUSTOMER = schema_of("customer_info")


# ---------------------------------------------------------------- round trip
def test_every_form_has_realistic_filled_in_data_here():
    assert sorted(FILLED) == FORM_IDS


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_filled_in_form_survives_flatten_then_parse_unchanged(form_id):
    schema, data = schema_of(form_id), copy.deepcopy(FILLED[form_id])
    assert parse_form(schema, flatten(schema, data)) == data
    Draft202012Validator(schema).validate({**{k: v for k, v in HEADER.items() if k in schema["properties"]}, **data})


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_header_is_flattened_for_display_but_never_parsed_back(form_id):
    schema = schema_of(form_id)
    values = flatten(schema, {**HEADER, **FILLED[form_id]})
    assert values["project_name"] == HEADER["project_name"]
    assert parse_form(schema, values) == FILLED[form_id]


def test_a_werkzeug_multidict_reads_like_a_mapping_of_lists():
    posted = MultiDict([("customer.name", "Formosa"), ("customer.supporting_departments.0", "IT"),
                        ("customer.supporting_departments.1", "Finance")])
    as_lists = {"customer.name": ["Formosa"], "customer.supporting_departments.0": ["IT"],
                "customer.supporting_departments.1": ["Finance"]}
    assert parse_form(CUSTOMER, posted) == parse_form(CUSTOMER, as_lists) == {"customer": {
        "name": "Formosa", "supporting_departments": ["IT", "Finance"], "criteria": {}}}


# ---------------------------------------------------------------- conversions
def test_text_typed_into_an_integer_field_is_kept_so_validation_names_it():
    data = parse_form(CUSTOMER, {"customer.criteria.sales_volume": "abc"})
    assert data["customer"]["criteria"]["sales_volume"] == "abc"
    with pytest.raises(ValidationFailed) as failed:
        validate(CUSTOMER, data)
    assert errors_by_field(failed.value.errors)["customer.criteria.sales_volume"] == ["must be a whole number"]
    assert flatten(CUSTOMER, data)["customer.criteria.sales_volume"] == "abc"


@pytest.mark.parametrize(("typed", "kept"), [
    ("4", 4), (" 5 ", 5), ("４", 4), ("3.0", 3), ("3.5", "3.5"), ("1e999", "1e999"), ("-", "-"),
])
def test_an_integer_field_takes_whole_numbers_and_keeps_anything_else_as_typed(typed, kept):
    criteria = parse_form(CUSTOMER, {"customer.criteria.sales_volume": typed})["customer"]["criteria"]
    assert criteria["sales_volume"] == kept and type(criteria["sales_volume"]) is type(kept)


@pytest.mark.parametrize(("typed", "kept"), [
    ("48000000", 48000000), ("1,500,000", 1500000), ("12.5", 12.5), ("1,5", "1,5"), ("nan", "nan"),
])
def test_a_number_field_takes_decimals_and_thousands_commas(typed, kept):
    project = parse_form(schema_of("project_info"), {"project.budget_amount": typed})["project"]
    assert project["budget_amount"] == kept


def test_blank_fields_are_left_out_so_a_blank_required_field_is_reported_as_required():
    data = parse_form(CUSTOMER, {"customer.name": "   ", "customer.industry": "",
                                 "customer.account_type": ""})
    assert data == {"customer": {"criteria": {}}}
    with pytest.raises(ValidationFailed) as failed:
        validate(CUSTOMER, data)
    assert errors_by_field(failed.value.errors)["customer.name"] == ["is required"]


def test_textarea_line_breaks_from_a_browser_become_plain_newlines():
    data = parse_form(CUSTOMER, {"customer.business": "Frozen foods.\r\nBakery.\r\n"})
    assert data["customer"]["business"] == "Frozen foods.\nBakery."


def test_a_checkbox_is_true_when_posted_and_false_when_absent():
    schema = {"type": "object", "properties": {"agreed": {"type": "boolean"},
                                               "urgent": {"type": "boolean"}}}
    assert parse_form(schema, {"agreed": "true"}) == {"agreed": True, "urgent": False}
    assert flatten(schema, {"agreed": True, "urgent": False}) == {"agreed": "true"}


def test_oneof_choices_stay_strings():
    data = parse_form(schema_of("committee_vote"), {"vote.decision": "approve"})
    assert data == {"vote": {"decision": "approve"}}


# ---------------------------------------------------------------- arrays
def test_rows_are_rebuilt_in_index_order_and_fully_empty_rows_are_skipped():
    posted = {
        "customer.leaders.10.name": "Third", "customer.leaders.2.name": "Second",
        "customer.leaders.0.name": "First", "customer.leaders.1.name": "",
        "customer.leaders.1.title": " ", "customer.leaders.3.name": "",
        "customer.contact_channels.0.channel": "", "customer.contact_channels.0.detail": "",
    }
    customer = parse_form(CUSTOMER, posted)["customer"]
    assert [row["name"] for row in customer["leaders"]] == ["First", "Second", "Third"]
    assert "contact_channels" not in customer  # optional and empty: absent


def test_a_required_array_left_empty_is_an_empty_list_so_validation_can_say_why():
    data = parse_form(schema_of("decision_makers"), {"decision_makers.0.name": ""})
    assert data == {"decision_makers": []}


def test_a_row_ticked_remove_is_dropped():
    posted = MultiDict([("customer.leaders.0.name", "Keep"), ("customer.leaders.1.name", "Drop"),
                        ("_remove_row", "customer.leaders.1")])
    assert parse_form(CUSTOMER, posted)["customer"]["leaders"] == [{"name": "Keep"}]


def test_a_string_array_can_come_from_one_textarea_line_per_item():
    posted = {"authorisation.team": "mei.lin\r\n\r\n  jason.wu  \r\n"}
    data = parse_form(schema_of("authorisation"), posted)
    assert data["authorisation"]["team"] == ["mei.lin", "jason.wu"]


def test_read_only_and_unknown_fields_are_never_taken_from_input():
    posted = {"project_name": "Forged", "filled_by": "mallory", "date_filled": "1999-01-01",
              "customer.name": "Formosa", "customer.is_admin": "true", "evil": "x",
              "_rows.customer.leaders": "5", "_add_row": "customer.leaders"}
    assert parse_form(CUSTOMER, posted) == {"customer": {"name": "Formosa", "criteria": {}}}


def test_flatten_records_how_many_rows_each_array_has():
    values = flatten(CUSTOMER, FILLED["customer_info"])
    assert values["_rows.customer.leaders"] == "2"
    assert values["customer.leaders.1.name"] == "Lin Ya-ting"
    assert values["customer.criteria.sales_volume"] == "4"


def test_add_row_asks_for_one_more_row_than_the_page_showed():
    posted = MultiDict([("customer.leaders.0.name", "Chen"), ("customer.leaders.1.name", ""),
                        ("_rows.customer.leaders", "2"), ("_add_row", "customer.leaders")])
    values = redisplay(CUSTOMER, posted, fixed=HEADER)
    assert values["_rows.customer.leaders"] == "2"  # two rows, and the template adds a spare
    assert values["customer.leaders.0.name"] == "Chen"
    assert values["project_name"] == HEADER["project_name"]


def test_add_row_cannot_be_made_to_render_a_huge_number_of_rows():
    posted = {"_rows.customer.leaders": "999999999", "_add_row": "customer.leaders"}
    assert int(redisplay(CUSTOMER, posted)["_rows.customer.leaders"]) <= 100


# ---------------------------------------------------------------- errors
def test_engine_error_paths_become_html_field_names():
    errors = [FieldError("$.customer.criteria.sales_volume", "is required"),
              FieldError("$.decision_makers[0].name", "is required"),
              FieldError("$.authorisation.team[2]", "is too long"),
              FieldError("$.decision_makers[0].name", "is required"),
              FieldError("$", "is not an object")]
    assert errors_by_field(errors) == {
        "customer.criteria.sales_volume": ["is required"], "decision_makers.0.name": ["is required"],
        "authorisation.team.2": ["is too long"], "": ["is not an object"]}
    assert field_name("$.decision_makers[10].evidence") == "decision_makers.10.evidence"


def test_error_messages_can_be_translated_on_the_way():
    errors = [FieldError("$.customer.name", "is required")]
    assert errors_by_field(errors, {"is required": "為必填"}.get) == {"customer.name": ["為必填"]}
