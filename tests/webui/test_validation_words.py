"""Validation messages in the reader's language: every form rule's message has a Chinese
wording, the field is named by its title, and no field id reaches the page."""
from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from engine import schema_messages as words
from webui.common.messages import LIMITS, engine_message

from .conftest import login, open_task, page_of, start_project

LATIN = re.compile("[A-Za-z]")
EVERY_MESSAGE = sorted({words.REQUIRED, words.NOT_A_FIELD, words.NOT_A_CHOICE, words.DOES_NOT_FIT,
                        words.NOT_EMPTY, words.PATTERN, words.UNIQUE, words.FIELD_NAMES,
                        *words.BY_TYPE.values(), *words.BY_FORMAT.values()}
                       | {t.format(n=3, low=1, high=5) for t in words.TEMPLATES})


def test_every_template_with_limits_has_a_translation_entry():
    assert set(LIMITS) == set(words.TEMPLATES)


@pytest.mark.parametrize("language", ["zh_Hant", "en"])
def test_every_form_rule_message_reads_in_the_pages_language(app, language):
    with app.test_request_context(), force_locale(language):
        for message in EVERY_MESSAGE:
            shown = engine_message(message)
            if language == "en":
                assert shown == message
            else:
                assert not LATIN.search(shown.replace("2026-12-31", "")), (message, shown)


def _summary(response) -> list[str]:
    return [li.text_content() for li in page_of(response).xpath("//div[@id='error-summary']//li")]


def test_a_score_out_of_range_is_named_by_its_title_with_the_limits_in_words(client, engine):
    login(client, "amy")
    task = open_task(engine, start_project(client), "customer_info")
    data = {"customer.name": "台積電", "customer.criteria.sales_volume": "7"}
    assert "銷售額或銷售潛力：請填 1 到 5 之間的整數" in _summary(client.post(f"/tasks/{task.id}", data=data))
    client.post("/language", data={"lang": "en", "next": "/"})
    assert "Sales volume or potential: must be a whole number from 1 to 5" in \
        _summary(client.post(f"/tasks/{task.id}", data=data))


def test_a_missing_project_name_names_the_field_not_its_id(client):
    login(client, "amy")
    response = client.post("/projects/new", data={"project_name": ""})
    assert _summary(response) == ["專案名稱：為必填"]
    assert "project_name" not in page_of(response).xpath("string(//main)")
