"""The stage-1 forms in forms/: JSON Schemas, UI schemas and their zh-Hant translations.

These tests read files only: no database, no Flask, no engine.
"""
from __future__ import annotations

import copy
import json
import pathlib
import re

import pytest
from babel.messages.pofile import read_po
from jsonschema import Draft202012Validator

FORMS = pathlib.Path(__file__).resolve().parents[2] / "forms"
PO_FILE = FORMS / "i18n" / "zh_Hant.po"

# form id -> the one data property it writes into task data (docs/process.md)
DATA_KEY = {
    "customer_info": "customer",
    "competitor_info": "competitors",
    "project_info": "project",
    "decision_makers": "decision_makers",
    "decision_participants": "decision_participants",
    "proposal": "proposal",
    "manager_review": "manager_review",
    "committee_vote": "vote",
    "chair_tiebreak": "tiebreak",
    "authorisation": "authorisation",
}
FORM_IDS = sorted(DATA_KEY)
START_FORM = "new_project"      # the key-account process's start form: the project's name
HEADER = ("project_name", "filled_by", "date_filled")
HEADER_TITLES = {"project_name": "Project name", "filled_by": "Filled in by", "date_filled": "Date filled"}
TASK_NAMES = [
    "Customer information", "Competitor information", "Project information", "Decision makers",
    "Decision participants", "Project proposal", "Department manager review", "Committee vote",
    "Chair's casting vote", "Authorise the project", "Information gathering",
]
TRANSLATABLE_KEYS = ("title", "description", "ui:help", "ui:placeholder")
# Words of the customer's personal profile (domain §5.1.4), deliberately left out of the forms.
PERSONAL_PROFILE_WORDS = {
    "family", "spouse", "children", "hometown", "home", "town", "university", "college", "school",
    "alma", "sport", "sports", "restaurant", "restaurants", "food", "pet", "pets", "book", "books",
    "reading", "holiday", "holidays", "vacation", "travel", "itinerary", "hobby", "hobbies",
    "birthday", "ambition", "ambitions", "personal", "private", "goals", "colleagues",
}


# ---------------------------------------------------------------- helpers
def load(name: str) -> dict:
    return json.loads((FORMS / name).read_text(encoding="utf-8"))


def schema_of(form_id: str) -> dict:
    return load(f"{form_id}.schema.json")


def uischema_of(form_id: str) -> dict:
    return load(f"{form_id}.uischema.json")


def validator(form_id: str) -> Draft202012Validator:
    return Draft202012Validator(schema_of(form_id), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(form_id: str, data: dict) -> list:
    return list(validator(form_id).iter_errors(data))


def mentions(errs: list, field: str) -> bool:
    """True when some error is located at `field` or names it in its message."""
    for e in errs:
        if field in [str(p) for p in e.absolute_path] or f"'{field}'" in e.message:
            return True
        if any(mentions([c], field) for c in e.context or ()):
            return True
    return False


def translatable_strings(node) -> set[str]:
    """Every title, description, ui:help and ui:placeholder string in a schema or UI schema."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TRANSLATABLE_KEYS and isinstance(value, str):
                found.add(value)
            else:
                found |= translatable_strings(value)
    elif isinstance(node, list):
        for value in node:
            found |= translatable_strings(value)
    return found


def schema_nodes(schema: dict, path: str = "$"):
    """Yield (path, node) for the schema and every property / item schema below it."""
    yield path, schema
    for name, sub in schema.get("properties", {}).items():
        yield from schema_nodes(sub, f"{path}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from schema_nodes(schema["items"], f"{path}[]")


def property_names(schema: dict) -> set[str]:
    names: set[str] = set()
    for _, node in schema_nodes(schema):
        names |= set(node.get("properties", {}))
    return names


def catalog():
    with PO_FILE.open("rb") as f:
        return read_po(f)


def with_header(form_id: str, data: dict) -> dict:
    return {"project_name": "Formosa Foods ERP rollout", "filled_by": "mei.lin",
            "date_filled": "2025-03-14", DATA_KEY[form_id]: data}


PERSON_CHEN = {
    "name": "Chen Wen-hsiung", "title": "Chief Financial Officer", "department": "Finance",
    "department_kind": "supporting", "role": "decision_maker", "relationship_stage": "engagement",
    "evidence": "Attended our ERP demonstration on 2025-02-20; accepted a lunch meeting with our CEO.",
}

VALID = {
    "customer_info": {
        "name": "Formosa Foods Co., Ltd.",
        "account_type": "national",
        "industry": "Food manufacturing",
        "business": "Frozen foods and bakery products sold through 1,200 convenience stores in Taiwan.",
        "industry_basics": "Mature market growing 3% a year; strict food-safety traceability rules.",
        "organisation_structure": "Head office in Taoyuan; four plants; IT reports to the CFO.",
        "contact_channels": [
            {"channel": "phone", "detail": "02-2345-6789, purchasing office"},
            {"channel": "email", "detail": "procurement@formosafoods.example"},
            {"channel": "visit"},
        ],
        "purchasing_department": "Procurement",
        "supporting_departments": ["Information Technology", "Finance"],
        "leaders": [{"name": "Chen Wen-hsiung", "title": "CFO", "department": "Finance"}],
        "similar_products_in_use": "A locally built ERP from 2009, at the end of its support life.",
        "criteria": {"sales_volume": 4, "technology_absorption": 3, "market_strength": 5,
                     "financial_health": 4},
    },
    "competitor_info": [
        {"competitor": "Acme Systems", "products_in_use": "Warehouse module since 2018",
         "customer_satisfaction": 2,
         "sales_reps": [{"name": "Wang Da-wei", "sales_approach": "Price-led, discounts at year end",
                         "relationship_with_customer": "Wang knows the procurement manager well (trust)."}]},
    ],
    "project_info": {
        "procurement_plan": "Replace the ERP in two phases during 2025–2026.",
        "problem_to_solve": "Food-safety traceability across the four plants.",
        "timetable": "RFP in April, shortlist in June, contract by September.",
        "decision_date": "2025-09-30",
        "budget_amount": 48000000,
        "budget_currency": "TWD",
        "procurement_process": "Public tender; board approval above TWD 30 million.",
    },
    "decision_makers": [PERSON_CHEN],
    "decision_participants": [
        {"name": "Lin Ya-ting", "role": "user", "relationship_stage": "acquaintance",
         "department_kind": "purchasing"},
    ],
    "proposal": {
        "summary": "Traceability-first ERP rollout for Formosa Foods.",
        "objectives": "Full lot traceability within 24 months.",
        "solution": "Our ERP with the food-safety module, rolled out plant by plant.",
        "value_to_customer": "Meets the new traceability rules; cuts recall cost.",
        "expected_revenue": 42000000,
        "currency": "TWD",
        "timeline": "Phase 1 Q4 2025, phase 2 Q2 2026.",
        "risks": "Acme's incumbent warehouse module.",
        "resources_needed": "Two solution consultants for the tender.",
    },
    "manager_review": {"decision": "approve"},
    "committee_vote": {"decision": "approve", "comment": "Strong fit."},
    "chair_tiebreak": {"decision": "approve", "comment": "Strategic account; worth the risk."},
    "authorisation": {
        "project_owner": "mei.lin",
        "team": ["mei.lin", "jason.wu"],
        "objectives": "Win the tender.",
        "budget_ceiling": {"amount": 1500000, "currency": "TWD"},
        "scope": "Respond to the tender and run two proof-of-concept workshops.",
        "valid_until": "2025-12-31",
    },
}


def valid(form_id: str) -> dict:
    return with_header(form_id, copy.deepcopy(VALID[form_id]))


# ---------------------------------------------------------------- the files
def test_there_is_a_schema_and_a_ui_schema_for_every_user_task_and_the_start_form_and_nothing_else():
    schemas = {p.name.removesuffix(".schema.json") for p in FORMS.glob("*.schema.json")}
    uischemas = {p.name.removesuffix(".uischema.json") for p in FORMS.glob("*.uischema.json")}
    assert schemas == set(FORM_IDS) | {START_FORM}
    assert uischemas == set(FORM_IDS) | {START_FORM}


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_schema_is_a_valid_draft_2020_12_schema(form_id):
    schema = schema_of(form_id)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_schema_is_an_object_with_a_plain_english_title(form_id):
    schema = schema_of(form_id)
    assert schema["type"] == "object"
    assert schema["title"] and re.fullmatch(r"[A-Za-z' -]+", schema["title"])


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_schema_has_the_three_read_only_header_fields_that_are_not_required(form_id):
    schema = schema_of(form_id)
    for field in HEADER:
        prop = schema["properties"][field]
        assert prop["readOnly"] is True, field
        assert prop["type"] == "string"
        assert prop["title"] == HEADER_TITLES[field]
        assert field not in schema.get("required", [])
    assert schema["properties"]["date_filled"]["format"] == "date"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_schema_has_exactly_one_data_property_named_as_in_the_contract(form_id):
    schema = schema_of(form_id)
    assert set(schema["properties"]) - set(HEADER) == {DATA_KEY[form_id]}
    assert DATA_KEY[form_id] in schema["required"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_object_forbids_additional_properties(form_id):
    for path, node in schema_nodes(schema_of(form_id)):
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, path


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_property_has_a_title_and_every_string_a_length_limit(form_id):
    for path, node in schema_nodes(schema_of(form_id)):
        assert node.get("title"), path
        is_free_string = node.get("type") == "string" and "oneOf" not in node and "format" not in node
        if is_free_string:
            allowed = (300,) if path == "$.project_name" else (36,) if path.endswith("_id") else (200, 5000)
            assert node.get("maxLength") in allowed, path        # ids: a workspace row's uuid


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_choices_are_labelled_one_of_consts_never_bare_enums(form_id):
    text = (FORMS / f"{form_id}.schema.json").read_text(encoding="utf-8")
    assert '"enum"' not in text
    for path, node in schema_nodes(schema_of(form_id)):
        for option in node.get("oneOf", []):
            assert set(option) == {"const", "title"}, path
            assert option["title"], path


# ---------------------------------------------------------------- valid and invalid data
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_realistic_filled_in_form_is_valid(form_id):
    assert errors(form_id, valid(form_id)) == []


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_header_may_be_left_out_because_the_engine_sets_it(form_id):
    assert errors(form_id, {DATA_KEY[form_id]: copy.deepcopy(VALID[form_id])}) == []


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_an_unknown_top_level_property_is_rejected(form_id):
    data = valid(form_id)
    data["notes"] = "x"
    assert mentions(errors(form_id, data), "notes")


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_form_without_its_data_property_is_rejected(form_id):
    data = valid(form_id)
    del data[DATA_KEY[form_id]]
    assert mentions(errors(form_id, data), DATA_KEY[form_id])


def test_a_criterion_scored_6_is_rejected_naming_the_criterion():
    data = valid("customer_info")
    data["customer"]["criteria"]["market_strength"] = 6
    assert mentions(errors("customer_info", data), "market_strength")


def test_a_criterion_scored_0_or_as_a_fraction_is_rejected():
    for bad in (0, 2.5, "3"):
        data = valid("customer_info")
        data["customer"]["criteria"]["financial_health"] = bad
        assert mentions(errors("customer_info", data), "financial_health"), bad


def test_every_criterion_must_be_scored():
    data = valid("customer_info")
    del data["customer"]["criteria"]["technology_absorption"]
    assert mentions(errors("customer_info", data), "technology_absorption")


def test_an_unknown_account_type_is_rejected():
    data = valid("customer_info")
    data["customer"]["account_type"] = "local"
    assert mentions(errors("customer_info", data), "account_type")


def test_a_personal_detail_slipped_into_a_leader_is_rejected_as_unknown():
    data = valid("customer_info")
    data["customer"]["leaders"][0]["hobbies"] = "golf"
    assert mentions(errors("customer_info", data), "hobbies")


def test_an_unknown_contact_channel_is_rejected():
    data = valid("customer_info")
    data["customer"]["contact_channels"][0]["channel"] = "fax"
    assert mentions(errors("customer_info", data), "channel")


def test_a_competitor_needs_a_name_and_satisfaction_is_scored_1_to_5():
    data = valid("competitor_info")
    del data["competitors"][0]["competitor"]
    data["competitors"][0]["customer_satisfaction"] = 6
    errs = errors("competitor_info", data)
    assert mentions(errs, "competitor")
    assert mentions(errs, "customer_satisfaction")


def test_a_negative_budget_or_unknown_currency_is_rejected():
    data = valid("project_info")
    data["project"]["budget_amount"] = -1
    data["project"]["budget_currency"] = "GBP"
    errs = errors("project_info", data)
    assert mentions(errs, "budget_amount")
    assert mentions(errs, "budget_currency")


def test_project_information_requires_the_problem_and_the_budget():
    data = valid("project_info")
    del data["project"]["problem_to_solve"]
    del data["project"]["budget_amount"]
    errs = errors("project_info", data)
    assert mentions(errs, "problem_to_solve")
    assert mentions(errs, "budget_amount")


def test_a_decision_date_that_is_not_a_date_is_rejected():
    data = valid("project_info")
    data["project"]["decision_date"] = "next autumn"
    assert mentions(errors("project_info", data), "decision_date")


def test_currency_defaults_to_new_taiwan_dollars():
    assert schema_of("project_info")["properties"]["project"]["properties"]["budget_currency"]["default"] == "TWD"
    assert schema_of("proposal")["properties"]["proposal"]["properties"]["currency"]["default"] == "TWD"
    ceiling = schema_of("authorisation")["properties"]["authorisation"]["properties"]["budget_ceiling"]
    assert ceiling["properties"]["currency"]["default"] == "TWD"


def test_at_least_one_decision_maker_is_required():
    data = valid("decision_makers")
    data["decision_makers"] = []
    assert mentions(errors("decision_makers", data), "decision_makers")


def test_decision_participants_may_be_empty():
    data = valid("decision_participants")
    data["decision_participants"] = []
    assert errors("decision_participants", data) == []


@pytest.mark.parametrize("form_id", ["decision_makers", "decision_participants"])
@pytest.mark.parametrize("field", ["name", "role"])
def test_a_person_needs_a_name_and_a_role(form_id, field):
    data = with_header(form_id, [copy.deepcopy(PERSON_CHEN)])
    del data[DATA_KEY[form_id]][0][field]
    assert mentions(errors(form_id, data), field)


@pytest.mark.parametrize("form_id", ["decision_makers", "decision_participants"])
def test_relationship_stages_are_the_four_stages_lowest_to_highest_and_read_only_from_the_ledger(form_id):
    person = schema_of(form_id)["properties"][DATA_KEY[form_id]]["items"]
    stages = [o["const"] for o in person["properties"]["relationship_stage"]["oneOf"]]
    assert stages == ["acquaintance", "engagement", "trust", "alliance"]
    assert person["properties"]["relationship_stage"]["readOnly"] is True
    roles = [o["const"] for o in person["properties"]["role"]["oneOf"]]
    assert roles == ["decision_maker", "influencer", "user", "gatekeeper"]


def test_a_person_with_an_unknown_stage_is_rejected():
    data = valid("decision_makers")
    data["decision_makers"][0]["relationship_stage"] = "friend"
    assert mentions(errors("decision_makers", data), "relationship_stage")


def test_decision_makers_and_participants_share_the_same_person_shape():
    makers = schema_of("decision_makers")["properties"]["decision_makers"]["items"]
    participants = schema_of("decision_participants")["properties"]["decision_participants"]["items"]
    assert makers == participants


def test_a_proposal_needs_a_summary_and_a_solution():
    data = valid("proposal")
    del data["proposal"]["summary"]
    del data["proposal"]["solution"]
    errs = errors("proposal", data)
    assert mentions(errs, "summary")
    assert mentions(errs, "solution")


@pytest.mark.parametrize("field", ["return_to", "reason_code", "comment"])
def test_a_manager_return_without_return_to_reason_or_comment_is_rejected(field):
    data = valid("manager_review")
    data["manager_review"] = {"decision": "return", "return_to": "information",
                              "reason_code": "incomplete_information",
                              "comment": "The budget and the decision makers are missing."}
    assert errors("manager_review", data) == []
    del data["manager_review"][field]
    assert mentions(errors("manager_review", data), field)


def test_a_manager_return_with_an_empty_comment_is_rejected():
    data = valid("manager_review")
    data["manager_review"] = {"decision": "return", "return_to": "proposal",
                              "reason_code": "unclear_value", "comment": ""}
    assert mentions(errors("manager_review", data), "comment")


def test_a_manager_cannot_decline_only_approve_or_return():
    data = valid("manager_review")
    data["manager_review"]["decision"] = "decline"
    assert mentions(errors("manager_review", data), "decision")


@pytest.mark.parametrize("decision", ["return", "decline"])
def test_a_committee_vote_other_than_approve_needs_a_reason_and_a_comment(decision):
    data = valid("committee_vote")
    data["vote"] = {"decision": decision}
    errs = errors("committee_vote", data)
    assert mentions(errs, "reason_code")
    assert mentions(errs, "comment")
    data["vote"] = {"decision": decision, "reason_code": "competitive_risk", "comment": ""}
    assert mentions(errors("committee_vote", data), "comment")
    data["vote"]["comment"] = "Acme is too entrenched."
    if decision == "return":                 # a return also says where to: the proposal or information gathering
        assert mentions(errors("committee_vote", data), "return_to")
        data["vote"]["return_to"] = "information"
    assert errors("committee_vote", data) == []


def test_an_approving_committee_vote_needs_no_reason():
    data = valid("committee_vote")
    data["vote"] = {"decision": "approve"}
    assert errors("committee_vote", data) == []


def test_a_committee_vote_with_an_unknown_reason_code_is_rejected():
    data = valid("committee_vote")
    data["vote"] = {"decision": "decline", "reason_code": "too_expensive", "comment": "No."}
    assert mentions(errors("committee_vote", data), "reason_code")


def test_the_chairs_casting_vote_always_needs_a_comment():
    data = valid("chair_tiebreak")
    data["tiebreak"]["comment"] = ""
    assert mentions(errors("chair_tiebreak", data), "comment")
    del data["tiebreak"]["comment"]
    assert mentions(errors("chair_tiebreak", data), "comment")


def test_manager_and_committee_share_the_same_reason_codes():
    manager = schema_of("manager_review")["properties"]["manager_review"]["properties"]["reason_code"]
    vote = schema_of("committee_vote")["properties"]["vote"]["properties"]["reason_code"]
    assert manager == vote
    assert [o["const"] for o in vote["oneOf"]] == [
        "incomplete_information", "unclear_value", "budget_unrealistic", "weak_relationships",
        "competitive_risk", "not_key_account", "other"]


@pytest.mark.parametrize("field", ["project_owner", "team", "objectives", "budget_ceiling", "scope", "valid_until"])
def test_an_authorisation_needs_owner_team_objectives_ceiling_scope_and_end_date(field):
    data = valid("authorisation")
    del data["authorisation"][field]
    assert mentions(errors("authorisation", data), field)


def test_an_authorisation_needs_at_least_one_team_member_and_a_positive_ceiling():
    data = valid("authorisation")
    data["authorisation"]["team"] = []
    data["authorisation"]["budget_ceiling"]["amount"] = 0
    errs = errors("authorisation", data)
    assert mentions(errs, "team")
    assert mentions(errs, "amount")


def test_an_authorisation_ceiling_needs_a_currency():
    data = valid("authorisation")
    del data["authorisation"]["budget_ceiling"]["currency"]
    assert mentions(errors("authorisation", data), "currency")


# ---------------------------------------------------------------- personal data stays out
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_no_personal_profile_field_appears_in_any_form(form_id):
    for name in property_names(schema_of(form_id)):
        words = set(name.lower().split("_"))
        assert not words & PERSONAL_PROFILE_WORDS, name


# ---------------------------------------------------------------- UI schemas
def check_ui(ui: dict, schema: dict, path: str) -> None:
    props = schema.get("properties", {})
    if "ui:order" in ui:
        assert sorted(ui["ui:order"]) == sorted(props), f"{path}: ui:order must list every property once"
    for key, value in ui.items():
        if key.startswith("ui:"):
            continue
        if key == "items":
            assert schema.get("type") == "array", f"{path}: 'items' on a non-array"
            check_ui(value, schema["items"], f"{path}[]")
        else:
            assert key in props, f"{path}: UI schema names unknown property {key!r}"
            check_ui(value, props[key], f"{path}.{key}")


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_ui_schema_key_refers_to_an_existing_property(form_id):
    check_ui(uischema_of(form_id), schema_of(form_id), form_id)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_ui_widgets_are_known_and_fit_their_property(form_id):
    def walk(ui, schema, path, parent=None):
        widget = ui.get("ui:widget")
        if widget is not None:
            assert widget in {"textarea", "radio", "select", "date", "hidden", "money"}, path
            if widget in {"radio", "select"}:
                assert "oneOf" in schema, path
            if widget == "date":
                assert schema.get("format") == "date", path
            if widget == "textarea":
                assert schema.get("maxLength") == 5000, path
            if widget == "money":        # an amount with its currency beside it
                assert schema.get("type") == "number", path
                assert ui.get("ui:currency") in parent.get("properties", {}), path
        for key, value in ui.items():
            if key == "items":
                walk(value, schema["items"], path + "[]")
            elif not key.startswith("ui:"):
                walk(value, schema["properties"][key], f"{path}.{key}", schema)

    walk(uischema_of(form_id), schema_of(form_id), form_id)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_header_comes_first_in_every_form(form_id):
    assert uischema_of(form_id)["ui:order"] == [*HEADER, DATA_KEY[form_id]]


# ---------------------------------------------------------------- translations
def test_the_translation_file_loads_as_traditional_chinese_utf8():
    cat = catalog()
    assert str(cat.locale) == "zh_Hant"
    assert cat.charset.lower() == "utf-8"
    assert not any(m.fuzzy for m in cat if m.id)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_translatable_string_in_the_forms_has_a_chinese_translation(form_id):
    cat = catalog()
    strings = translatable_strings(schema_of(form_id)) | translatable_strings(uischema_of(form_id))
    assert strings
    missing = sorted(s for s in strings if s not in cat or not cat[s].string)
    assert missing == []


def test_every_task_name_has_a_chinese_translation():
    cat = catalog()
    missing = [n for n in TASK_NAMES if n not in cat or not cat[n].string]
    assert missing == []


def test_translations_use_the_domains_original_terms():
    cat = catalog()
    expected = {
        "Customer information": "客戶資訊表",
        "Decision makers": "專案決策人資訊表",
        "Decision participants": "專案決策人參與人資訊表",
        "Project proposal": "專案建議書",
        "Authorise the project": "批准專案成立並授權",
        "Information gathering": "綜合資訊收集",
        "Project name": "專案名稱",
        "Filled in by": "填表人姓名",
        "Date filled": "填表日期",
        "Global": "全球性",
        "National": "全國性",
        "Regional": "地區性",
        "Acquaintance": "認識",
        "Engagement": "約會（邀約互動）",
        "Trust": "信賴",
        "Alliance": "同盟",
    }
    assert {k: cat[k].string for k in expected} == expected
    assert "部門經理" in cat["Department manager review"].string
    assert "大客戶管理組" in cat["Committee vote"].string


def test_every_translation_is_chinese_not_a_copy_of_the_english():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    untranslated = [m.id for m in catalog() if m.id and not cjk.search(m.string)]
    assert untranslated == []


# ---------------------------------------------------------------- the start form
def test_a_project_name_may_be_as_long_as_the_instance_column_in_the_start_form_and_every_header():
    from engine.naming import NAME_LENGTH
    limits = {path.name: json.loads(path.read_text(encoding="utf-8"))["properties"]["project_name"]["maxLength"]
              for path in FORMS.glob("*.schema.json")}
    assert len(limits) == len(FORM_IDS) + 1
    assert set(limits.values()) == {NAME_LENGTH} and NAME_LENGTH == 300


@pytest.mark.parametrize("name, ok", [("台北捷運票務", True), ("x" * 300, True), ("x" * 301, False),
                                      ("", False), ("   ", False)])
def test_the_start_form_requires_a_project_name_that_is_not_blank_nor_too_long(name, ok):
    validator = Draft202012Validator(schema_of(START_FORM))
    assert validator.is_valid({"project_name": name}) is ok
    assert not validator.is_valid({}) and not validator.is_valid({"project_name": "x", "owner": "amy"})
