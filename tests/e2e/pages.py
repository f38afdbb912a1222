"""What a person does on KAM Flow's pages, as Playwright steps (no app internals)."""
from __future__ import annotations

from engine import demo
from webui.common.formdata import flatten


def log_in(page, base: str, username: str, lang: str | None = None) -> None:
    page.goto(f"{base}/login")
    if lang:
        page.click(f"form.lang-switch button[value='{lang}']")
    page.fill("#username", username)
    page.fill("#password", demo.PASSWORD)
    page.click("form.stacked-form button[type='submit']")
    page.wait_for_selector("h1")


def log_out(page) -> None:
    page.click("header form[action='/logout'] button")
    page.wait_for_selector("#username")


def answer_fields(live, task_id: str, user: str, bpmn_id: str, decision: str = "approve",
                  **overrides) -> dict[str, str]:
    """The demo answer for a task, as the flat field names its page uses."""
    form = live.engine.task(task_id, user).form
    return flatten(form, demo.answer(bpmn_id, "amy", decision, **overrides))


def _array_path(name: str) -> str | None:
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i].isdigit():
            return ".".join(parts[:i])
    return None


def fill_form(page, values: dict[str, str]) -> None:
    """Fill every field; press "Add row" (a server round trip, no JavaScript) when a row is missing.

    A click on a task's link returns once the new page starts loading, before its form is parsed,
    so the form is awaited before any field is looked for.
    """
    page.wait_for_selector("form.task-form")
    for name, value in values.items():
        if name.startswith("_"):
            continue
        control = page.locator(f"form.task-form [name='{name}']")
        if control.count() == 0:
            array = _array_path(name)
            assert array, f"no field {name}"
            page.click(f"form.task-form button[name='_add_row'][value='{array}']")
            page.wait_for_selector(f"form.task-form [name='{name}']")
            control = page.locator(f"form.task-form [name='{name}']")
        first = control.first
        kind = (first.get_attribute("type") or "").lower()
        tag = first.evaluate("el => el.tagName").lower()
        if kind == "radio":
            page.check(f"form.task-form input[name='{name}'][value='{value}']")
        elif kind == "checkbox":
            first.set_checked(value == "true")
        elif tag == "select":
            first.select_option(value)
        else:
            first.fill(value)


def submit(page) -> None:
    page.click("form.task-form .form-actions button[value='complete']")
    page.wait_for_load_state()
