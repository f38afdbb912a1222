"""templates/macros/form.html: every form renders as accessible HTML that posts back intact.

A plain jinja2 Environment and lxml: no Flask app, no database, no browser.
"""
from __future__ import annotations

import json
import pathlib

import jinja2
import lxml.html
import pytest
from babel.messages.pofile import read_po
from werkzeug.datastructures import MultiDict

from engine.errors import ValidationFailed
from engine.forms import validate
from webui.common.formdata import errors_by_field, flatten, parse_form, redisplay

from .test_formdata import FILLED, FORM_IDS, HEADER, schema_of

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "webui" / "templates")),
                         autoescape=True, undefined=jinja2.StrictUndefined)
MACROS = ENV.get_template("macros/form.html").module
CONTROLS = "//input[not(@type='hidden')] | //select | //textarea"
XSS = '<script>alert("x")</script>\'"&'


def english(text):
    return text


def uischema_of(form_id: str) -> dict:
    return json.loads((ROOT / "forms" / f"{form_id}.uischema.json").read_text(encoding="utf-8"))


def render(form_id, values=None, errors=None, _=english, schema=None, ui=None):
    html = MACROS.render_form(schema or schema_of(form_id), uischema_of(form_id) if ui is None else ui,
                              values or {}, errors or {}, _)
    return str(html), lxml.html.fromstring(f"<form>{html}</form>")


def posted(page) -> MultiDict:
    """What a browser sends when the rendered form is submitted as it stands.

    Not lxml's form_values(): it posts "on" for a ticked radio whose value is "".
    """
    sent = MultiDict()
    for control in page.xpath("//input[@name] | //select[@name] | //textarea[@name]"):
        kind = control.get("type", "text")
        if control.tag == "input" and kind in ("checkbox", "radio"):
            if control.checked:
                sent.add(control.name, control.get("value", "on"))
        elif kind not in ("submit", "button", "reset", "image", "file"):
            sent.add(control.name, control.value or "")
    return sent


def errors_for(form_id, data):
    with pytest.raises(ValidationFailed) as failed:
        validate(schema_of(form_id), {**HEADER, **data})
    return errors_by_field(failed.value.errors)


# ---------------------------------------------------------------- structure
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_control_of_every_form_has_exactly_one_bound_label(form_id):
    _, page = render(form_id, flatten(schema_of(form_id), {**HEADER, **FILLED[form_id]}))
    controls = page.xpath(CONTROLS)
    assert controls
    ids = [c.get("id") for c in controls]
    assert all(ids) and len(ids) == len(set(ids))
    for control_id in ids:
        labels = page.xpath("//label[@for=$id]", id=control_id)
        assert len(labels) == 1 and labels[0].text_content().strip(), control_id


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_filled_in_form_posted_as_rendered_gives_back_the_same_data(form_id):
    data = FILLED[form_id]
    _, page = render(form_id, flatten(schema_of(form_id), {**HEADER, **data}))
    assert parse_form(schema_of(form_id), posted(page)) == data


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_no_form_has_script_inline_handlers_or_browser_required_checks(form_id):
    html, page = render(form_id)
    assert not page.xpath("//script | //*[@required]")
    assert not [a for e in page.iter() for a in e.attrib if a.startswith("on")]
    assert "javascript:" not in html


def test_read_only_header_is_text_not_an_input():
    _, page = render("customer_info", flatten(schema_of("customer_info"), HEADER))
    assert not page.xpath("//*[@name='project_name' or @name='filled_by' or @name='date_filled']")
    assert page.get_element_by_id("field-project_name").xpath("string(dd[1])") == HEADER["project_name"]


def test_required_fields_are_marked_and_aria_required():
    _, page = render("customer_info")
    name = page.get_element_by_id("field-customer-name")
    assert name.get("aria-required") == "true"
    assert page.xpath("//label[@for='field-customer-name']/span[@class='required']")
    assert page.get_element_by_id("field-customer-industry").get("aria-required") is None


def test_help_text_is_bound_to_its_field():
    _, page = render("customer_info")
    described = page.get_element_by_id("field-customer-business").get("aria-describedby")
    help_text = page.get_element_by_id(described)
    assert "main products" in help_text.text_content()


def test_each_schema_type_gets_its_own_control():
    _, page = render("authorisation", {"authorisation.budget_ceiling.amount": "1500000"})
    by_name = {e.get("name"): e for e in page.xpath(CONTROLS)}
    assert by_name["authorisation.valid_until"].get("type") == "date"
    assert by_name["authorisation.scope"].tag == "textarea"
    amount = by_name["authorisation.budget_ceiling.amount"]        # money: "NT$150萬" may be typed
    assert (amount.get("type"), amount.get("value")) == ("text", "1500000")
    assert page.xpath("string(//span[@data-currency-of='field-authorisation-budget_ceiling-currency'])") == ""
    currency = by_name["authorisation.budget_ceiling.currency"]
    assert currency.tag == "select" and currency.value == "TWD"  # the schema's default
    assert by_name["authorisation.objectives"].tag == "textarea"
    rating = render("customer_info")[1].xpath("//input[@name='customer.criteria.sales_volume']")
    assert [(r.get("type"), r.get("value")) for r in rating] == [("radio", str(n)) for n in range(1, 6)]


def test_nested_objects_are_fieldsets_with_a_legend():
    _, page = render("customer_info")
    criteria = page.get_element_by_id("field-customer-criteria")
    assert criteria.tag == "fieldset" and criteria.xpath("string(legend)") == "Key-account criteria"


def test_ui_order_decides_the_order_of_fields():
    ui = uischema_of("proposal")
    ui["proposal"]["ui:order"] = ["solution", "*", "summary"]
    _, page = render("proposal", ui=ui)
    names = [e.get("name") for e in page.xpath(CONTROLS)]
    assert names[0] == "proposal.solution" and names[-1] == "proposal.summary"
    _, page = render("proposal")
    names = [e.get("name").split(".")[-1] for e in page.xpath(CONTROLS)]
    assert names == uischema_of("proposal")["proposal"]["ui:order"]


def test_a_radio_widget_is_a_group_of_labelled_radios_with_the_value_checked():
    _, page = render("committee_vote", {"vote.decision": "return"})
    group = page.xpath("//input[@name='vote.decision']/ancestor::fieldset[1]")[0]
    assert group.xpath("string(legend)").startswith("Decision")
    radios = group.xpath(".//input[@type='radio']")
    assert [r.get("value") for r in radios] == ["approve", "return", "decline"]
    assert [r.get("value") for r in radios if r.checked] == ["return"]
    assert page.xpath("//select[@name='vote.reason_code']")  # ui:widget select


def test_an_optional_radio_group_can_be_set_back_to_not_specified():
    _, page = render("decision_makers", {"_rows.decision_makers": "1",
                                         "decision_makers.0.department_kind": "purchasing"})
    radios = page.xpath("//input[@name='decision_makers.0.department_kind']")
    assert [(r.get("value"), r.get("checked")) for r in radios] == [
        ("purchasing", "checked"), ("supporting", None), ("", None)]
    _, page = render("decision_makers", {"_rows.decision_makers": "1"})
    assert not page.xpath("//input[@name='decision_makers.0.department_kind'][@checked]")   # nothing ticked for you


# ---------------------------------------------------------------- rows without JavaScript
def test_an_array_shows_its_rows_plus_a_spare_row_and_an_add_row_button():
    _, page = render("customer_info", flatten(schema_of("customer_info"), FILLED["customer_info"]))
    leaders = page.get_element_by_id("field-customer-leaders")
    assert len(leaders.xpath("fieldset[@class='row']")) == 3
    assert leaders.xpath("button[@type='submit'][@name='_add_row']/@value") == ["customer.leaders"]
    assert leaders.xpath(".//input[@name='_remove_row']/@value") == [
        "customer.leaders.0", "customer.leaders.1"]


def test_pressing_add_row_renders_one_more_row_and_keeps_what_was_typed():
    schema = schema_of("decision_makers")
    _, page = render("decision_makers", {"decision_makers.0.name": "陳文雄", "_rows.decision_makers": "1"})
    before = len(page.xpath("//fieldset[@class='row']"))
    form = posted(page)
    form.add("_add_row", "decision_makers")
    _, page = render("decision_makers", redisplay(schema, form, fixed=HEADER))
    assert len(page.xpath("//fieldset[@class='row']")) == before + 1
    assert page.get_element_by_id("field-decision_makers-0-name").value == "陳文雄"


def test_a_row_ticked_remove_is_gone_after_the_next_submit():
    schema = schema_of("customer_info")
    _, page = render("customer_info", flatten(schema, FILLED["customer_info"]))
    page.get_element_by_id("field-customer-leaders-0--remove").checked = True
    values = redisplay(schema, posted(page))
    assert values["customer.leaders.0.name"] == "Lin Ya-ting" and values["_rows.customer.leaders"] == "1"


# ---------------------------------------------------------------- errors
def test_errors_appear_next_to_their_fields_and_in_a_summary_with_working_links():
    data = {"decision_makers": [{"name": "", "role": "boss", "relationship_stage": "trust"}]}
    data = parse_form(schema_of("decision_makers"), flatten(schema_of("decision_makers"), data))
    errors = errors_for("decision_makers", data)
    assert set(errors) == {"decision_makers.0.name", "decision_makers.0.role"}
    _, page = render("decision_makers", flatten(schema_of("decision_makers"), data), errors)
    links = page.xpath("//div[@class='error-summary']//a")
    assert len(links) == 2
    for link in links:
        target = page.get_element_by_id(link.get("href").removeprefix("#"))
        assert target.get("aria-invalid") == "true"
        field = target.xpath("ancestor::*[contains(@class, 'field-invalid')][1]")[0]
        message = field.xpath(".//p[@class='field-error']")[0]
        described = target.get("aria-describedby") or field.get("aria-describedby")  # radios: the group
        assert message.get("id") in described.split()
    assert "Person 1 › Name: is required" in [a.text_content() for a in links]


def test_a_bad_number_comes_back_as_typed_with_its_error():
    errors = errors_for("customer_info", parse_form(schema_of("customer_info"),
                                                    {"customer.criteria.sales_volume": "abc"}))
    _, page = render("customer_info", {"customer.criteria.sales_volume": "abc"}, errors)
    typed = page.get_element_by_id("field-customer-criteria-sales_volume--typed")
    assert (typed.get("value"), typed.get("checked")) == ("abc", "checked")    # shown back as chosen
    assert "must be a whole number" in page.text_content()          # never the typed value quoted back


def test_an_array_level_error_is_shown_on_its_fieldset():
    errors = errors_for("authorisation", {"authorisation": {"team": ["a", "a"]}})
    _, page = render("authorisation", errors=errors)
    team = page.get_element_by_id("field-authorisation-team")
    assert "lists the same entry twice" in team.xpath("string(p[@class='field-error'])")


# ---------------------------------------------------------------- i18n and escaping
def test_titles_help_and_choices_are_translated_by_the_callers_gettext():
    with (ROOT / "forms" / "i18n" / "zh_Hant.po").open("rb") as f:
        catalog = read_po(f)

    def zh_hant(text):
        message = catalog.get(text)
        return message.string if message is not None and message.string else text

    _, page = render("customer_info", _=zh_hant)
    assert page.xpath("string(//label[@for='field-customer-name'])").startswith("客戶名稱")
    assert page.get_element_by_id("field-customer").xpath("string(legend)") == "客戶"
    assert "由系統自動填入。" in page.get_element_by_id("field-project_name").text_content()
    _, page = render("committee_vote", _=zh_hant)
    assert page.xpath("string(//label[@for='field-vote-decision'])") == "通過"


def test_user_values_and_error_messages_are_html_escaped():
    values = {"customer.name": XSS, "customer.business": XSS, "project_name": XSS,
              "customer.contact_channels.0.detail": XSS, "_rows.customer.contact_channels": "1"}
    html, page = render("customer_info", values, {"customer.name": [f"{XSS} is bad"]})
    assert "<script>" not in html
    assert page.get_element_by_id("field-customer-name").value == XSS
    assert page.get_element_by_id("field-customer-business").value.strip() == XSS
    assert page.get_element_by_id("field-project_name").xpath("string(dd[1])") == XSS
    assert XSS in page.xpath("string(//p[@class='field-error'])")
