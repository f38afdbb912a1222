"""Scripts get spiff-arena's globals and its `import` rule, and nothing that leads out of the sandbox."""
from __future__ import annotations

import pytest

from engine.spiff.scripts import ScriptRefused, check_code, make_script_engine

ENV = make_script_engine({}).environment


def run(script: str, **data) -> dict:
    ENV.execute(script, data)
    return data


def test_scripts_use_datetime_timedelta_time_json_and_decimal_as_spiff_arena_gives_them():
    data = run("import time\nimport json\n"
               "due = (datetime(2026, 12, 1) + timedelta(days=30)).date().isoformat()\n"
               "payload = json.dumps({'total': str(decimal.Decimal('1.10') * 3)})\n"
               "ticking = time.time() > 0")
    assert data == {"due": "2026-12-31", "payload": '{"total": "3.30"}', "ticking": True}


def test_datetime_and_time_parse_dates_though_python_imports_a_helper_module_to_do_it():
    data = run("day = datetime.strptime('2026-12-14', '%Y-%m-%d') + timedelta(days=1)\n"
               "weekday = time.strftime('%A', time.strptime('2026-12-14', '%Y-%m-%d'))\n"
               "day = day.date().isoformat()")
    assert data == {"day": "2026-12-15", "weekday": "Monday"}
    with pytest.raises(ScriptRefused, match="import _strptime is not allowed"):
        run("import _strptime")


def test_from_import_of_an_offered_module_works_and_leaves_no_function_in_task_data():
    assert run("from json import loads\nitems = loads('[1, 2]')") == {"items": [1, 2]}


@pytest.mark.parametrize("module", ["os", "sys", "subprocess", "calendar", "importlib", "builtins"])
def test_importing_anything_not_offered_is_refused_and_names_the_module(module):
    with pytest.raises(ScriptRefused, match=f"import {module} is not allowed"):
        run(f"import {module}")


@pytest.mark.parametrize("code", ["x = ().__class__.__base__.__subclasses__()", "f = __import__('os')",
                                  "g = (lambda: 0).__globals__", "b = __builtins__"])
def test_dunder_names_are_refused_before_the_script_runs(code):
    with pytest.raises(ScriptRefused, match="is not allowed in scripts"):
        run(code)


@pytest.mark.parametrize("code, missing", [("json.codecs", "codecs"), ("re.enum", "enum"),
                                           ("uuid.os", "os"), ("time.sleep", "sleep")])
def test_offered_modules_do_not_hand_out_the_modules_they_import_or_a_way_to_stall(code, missing):
    with pytest.raises(AttributeError, match=missing):
        run(f"x = {code}")


@pytest.mark.parametrize("name", ["open", "eval", "exec", "getattr", "compile", "globals", "type"])
def test_builtins_that_reach_files_or_the_interpreter_are_not_there(name):
    with pytest.raises(NameError):
        run(f"x = {name}")


def test_a_refusal_says_on_which_line_of_the_script_it_is():
    with pytest.raises(ScriptRefused) as caught:
        check_code("a = 1\nb = 2\nimport os")
    assert caught.value.line == 3


def test_conditions_and_dmn_expressions_are_checked_too():
    assert ENV.evaluate("decimal.Decimal(total) > 1000", {"total": "1000.01"}) is True
    with pytest.raises(ScriptRefused):
        ENV.evaluate("total.__class__", {"total": 1})
