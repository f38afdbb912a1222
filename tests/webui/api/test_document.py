"""The OpenAPI 3.1 document is valid, names exactly the API's routes, and its reference page is
drawn on the server: no script, no style attribute, nothing fetched from elsewhere."""
from __future__ import annotations

import re

import lxml.html
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from webui import create_app
from webui.api.docs import METHODS
from webui.errors.problems import TYPES

from ...conftest import ROOT


@pytest.fixture
def app(tmp_path):
    from engine import Engine
    eng = Engine(f"sqlite:///{tmp_path / 'k.db'}", forms_dir=ROOT / "forms")
    yield create_app({"TESTING": True, "ENGINE": eng, "SECRET_KEY": "s", "INSTANCE_PATH": tmp_path / "instance"})
    eng.close()


def served_document(app) -> dict:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(app):
    document = served_document(app)
    assert document["openapi"].startswith("3.1")
    errors = [e.message for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


def test_every_api_route_is_in_the_document_and_every_documented_operation_is_a_route(app):
    document = served_document(app)
    base = document["servers"][0]["url"]
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            assert path.startswith(base + "/")
            routes |= {(m.lower(), path[len(base):]) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(method, path) for path, item in document["paths"].items() for method in item if method in METHODS}
    assert routes == documented


def test_every_post_takes_an_idempotency_key_and_every_operation_names_its_problems(app):
    document = served_document(app)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            refs = [p.get("$ref", "") for p in operation.get("parameters", [])]
            assert (method == "post") == refs.count("#/components/parameters/IdempotencyKey"), (method, path)
            if operation.get("security") != []:
                assert "401" in operation["responses"], (method, path)


def test_the_reference_page_shows_every_operation_and_problem_type_and_needs_nothing_from_elsewhere(app):
    response = app.test_client().get("/api/v1/reference")
    assert response.status_code == 200 and "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = lxml.html.fromstring(response.get_data(as_text=True))
    for path, item in served_document(app)["paths"].items():
        for operation in item.values():
            assert page.xpath(f"//*[@id='op-{operation['operationId']}']"), path
    assert {e.get("id") for e in page.xpath("//*[starts-with(@id, 'problem-')]")} == {f"problem-{s}" for s in TYPES}
    assert page.xpath("//script | //style | //*[@style] | //iframe") == []
    external = [u for u in page.xpath("//@src | //@href") if re.match(r"(?i)^(https?:)?//", u)]
    assert external == []


def test_every_problem_type_links_to_its_row_on_the_reference_page(app):
    body = app.test_client().get("/api/v1/tasks").get_json()
    page, anchor = body["type"].split("#")
    assert page == "/api/v1/reference" and anchor == "problem-unauthorized"
