"""Error pages: 403, 404, 409 and 500 in both languages, from one handler."""
from __future__ import annotations

import pytest

from engine import Busy, ProcessError

from .conftest import login, page_of, start_project


@pytest.mark.parametrize("lang, title", [("zh_Hant", "找不到"), ("en", "Not found")])
def test_a_missing_task_is_a_404_page_in_the_users_language(client, lang, title):
    login(client, "amy")
    client.post("/language", data={"lang": lang, "next": "/"})
    response = client.get("/tasks/no-such-task")
    assert response.status_code == 404
    assert page_of(response).xpath("string(//h1)") == title


@pytest.mark.parametrize("lang, title", [("zh_Hant", "沒有權限"), ("en", "Not allowed")])
def test_an_admin_page_is_a_403_page_for_a_rep(client, lang, title):
    login(client, "amy")
    client.post("/language", data={"lang": lang, "next": "/"})
    response = client.get("/admin/")
    assert response.status_code == 403 and page_of(response).xpath("string(//h1)") == title


@pytest.mark.parametrize("lang, title", [("zh_Hant", "已有其他人先處理了"), ("en", "Someone else got there first")])
def test_claiming_a_task_that_is_no_longer_open_is_a_409_page(client, engine, lang, title):
    login(client, "amy")
    client.post("/language", data={"lang": lang, "next": "/"})
    iid = start_project(client)
    task_id = engine.instance(iid).tasks[0].id
    engine.withdraw(iid, "amy")
    response = client.post(f"/tasks/{task_id}/claim")
    assert response.status_code == 409 and page_of(response).xpath("string(//h1)") == title


def test_a_process_error_is_a_500_page_saying_an_admin_was_told(client, app, engine, monkeypatch):
    login(client, "amy")
    iid = start_project(client)
    task = engine.instance(iid).tasks[0]

    def broken(*_args, **_kwargs):
        raise ProcessError("division by zero", element="tally_votes", incident_id=7)
    monkeypatch.setattr(engine, "complete_step", broken)
    response = client.post(f"/tasks/{task.id}", data={"_action": "complete"})
    assert response.status_code == 500
    text = page_of(response).text_content()
    assert "管理員" in text and "7" in text


def test_an_unexpected_failure_is_a_500_page_that_promises_nothing_it_cannot_know(client, app, engine, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login(client, "amy")
    monkeypatch.setattr(engine.lists, "inbox", lambda *_a: 1 / 0)
    response = client.get("/")
    text = page_of(response).text_content()
    assert response.status_code == 500 and "管理員" in text and "確認這個步驟是否已經儲存" in text
    assert "沒有遺失" not in text


TYPED = {"customer.name": "台北捷運公司 Taipei Metro", "customer.industry": "Public transport",
         "customer.contact_channels.0.detail": "Monthly review", "_rows.customer.contact_channels": "1",
         "_action": "complete"}


def completion_failing_with(client, engine, monkeypatch, error: Exception):
    login(client, "amy")
    iid = start_project(client)
    task = engine.instance(iid).tasks[0]

    def failing(*_args, **_kwargs):
        raise error
    monkeypatch.setattr(engine, "complete_step", failing)
    return client.post(f"/tasks/{task.id}", data=TYPED)


def alert_and_typed_name(response) -> tuple[str, str]:
    page = page_of(response)
    return page.xpath("string(//*[@role='alert'])"), page.get_element_by_id("field-customer-name").value


def test_a_completion_the_database_stayed_too_busy_for_comes_back_with_the_typed_input(client, engine, monkeypatch):
    response = completion_failing_with(client, engine, monkeypatch, Busy("deadlocks all the way"))
    alert, name = alert_and_typed_name(response)
    assert response.status_code == 503 and name == TYPED["customer.name"]
    assert "忙碌" in alert and "再送出一次" in alert


def test_an_unexpected_failure_of_a_completion_comes_back_with_the_typed_input(client, engine, monkeypatch):
    response = completion_failing_with(client, engine, monkeypatch, RuntimeError("connection reset"))
    alert, name = alert_and_typed_name(response)
    assert response.status_code == 500 and name == TYPED["customer.name"]
    assert "可能沒有儲存" in alert and "沒有遺失" not in response.get_data(as_text=True)
