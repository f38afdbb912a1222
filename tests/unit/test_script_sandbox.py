"""Every way out of the script sandbox we know of is closed, every bound holds, and ordinary scripts work."""
from __future__ import annotations

import pytest

from engine.spiff.scripts import Limits, ScriptLimitExceeded, ScriptRefused, make_script_engine

ENV = make_script_engine({"committee_members_for": lambda owner: ["cat", owner]}).environment
SMALL = make_script_engine({}, Limits(max_steps=1_000, max_items=10_000)).environment


def run(script: str, env=ENV, **data) -> dict:
    env.execute(script, data)
    return data


REFUSED_BEFORE_RUNNING = [
    "x = ().__class__.__base__.__subclasses__()",
    "x = [].__class__.__mro__",
    "g = (i for i in [1])\nf = g.gi_frame.f_back",
    "g = (i for i in [1])\nc = g.gi_code",
    "x = committee_members_for.__globals__",
    "b = __builtins__",
    "try:\n    1 / 0\nexcept Exception as e:\n    t = e.__traceback__",
    "_hidden = 1",
    "x = datetime._hidden",
    "x = eval('1')",
    "exec('x = 1')",
    "class Escape:\n    pass",
    "x = f'{owner.__class__}'",
    "x = f'{1:>{width}}'",
    "x = f'{1:>999999999}'",
]


@pytest.mark.parametrize("code", REFUSED_BEFORE_RUNNING)
def test_code_that_reaches_for_interpreter_internals_is_refused_before_it_runs(code):
    with pytest.raises(ScriptRefused):
        run(code, owner="amy", width=10)


@pytest.mark.parametrize("code", [
    "x = '{0.__class__}'.format(owner)",
    "x = '{o.__class__.__base__}'.format_map({'o': owner})",
    "x = '{0.__init__.__globals__}'.format(committee_members_for)",
    "x = list(map('{0.__class__}'.format, [1]))",
    "x = str.format('{0.__class__}', 1)",
    "x = str.join('', ['a'])",
    "x = int.mro()",
    "x = decimal.getcontext()",
    "x = decimal.localcontext()",
    "x = json.codecs",
    "x = time.clock_settime",
    "x = time.tzset",
    "x = uuid.getnode",
])
def test_attribute_walks_at_run_time_through_format_strings_and_types_are_refused(code):
    with pytest.raises(AttributeError, match="not allowed|has no attribute"):
        run(code, owner="amy")


@pytest.mark.parametrize("name", ["open", "eval", "exec", "compile", "getattr", "setattr", "vars", "locals",
                                  "globals", "dir", "type", "breakpoint", "input", "help", "memoryview"])
def test_builtins_that_reach_files_or_the_interpreter_are_missing(name):
    with pytest.raises((NameError, ScriptRefused)):     # missing, or a name RestrictedPython reserves
        run(f"x = {name}")


def test_the_offered_modules_cannot_be_changed_for_later_scripts():
    with pytest.raises(TypeError, match="may change dicts and lists only"):
        run("json.loads = len")
    assert run("x = json.loads('[1]')") == {"x": [1]}


def test_task_data_named_like_a_guard_does_not_replace_the_guard():
    with pytest.raises(AttributeError, match="not allowed"):
        ENV.evaluate("'{0.__class__}'.format(1)", {"_getattr_": object.__getattribute__})


@pytest.mark.parametrize("code", [
    "while True:\n    pass",
    "n = 0\nwhile n >= 0:\n    n += 1",
    "def f(n):\n    return f(n + 1) + f(n + 1) if n < 50 else 0\nx = f(0)",
    "f = lambda n: f(n + 1) + f(n + 1) if n < 50 else 0\nx = f(0)",
    "x = [i for i in iter(int, 1)]",
    "x = sum(1 for i in iter(int, 1))",
    "x = 0\nwhile True:\n    try:\n        while True:\n            x += 1\n    except Exception:\n        pass",
    "try:\n    while True:\n        pass\nexcept Exception:\n    caught = True",
])
def test_loops_and_recursion_stop_at_the_step_budget_even_when_the_script_catches_the_stop(code):
    with pytest.raises((ScriptLimitExceeded, RecursionError)):
        run(code, env=SMALL)


@pytest.mark.parametrize("code", [
    "x = 'x' * 10 ** 9", "x = [0] * 10 ** 9", "x = 10 ** 10 ** 8", "x = pow(10, 10 ** 8)", "x = 1 << 10 ** 9",
    "x = 2\nx **= 10 ** 8", "x = 'ab'\nx *= 10 ** 9", "x = '%1000000000d' % 1", "x = '%*d' % (10 ** 9, 1)",
    "x = '{:>1000000000}'.format(1)", "x = format(1, '>1000000000')", "x = 'a'.ljust(10 ** 9)",
    "x = 'a'.center(10 ** 9)", "x = 'a' * 9000\ny = x.replace('', x)", "x = 'a' * 9000\ny = x.join([x, x])",
    "x = list(range(10 ** 9))", "x = datetime(2026, 1, 1).strftime('%1000000000Y')",
    "x = time.strftime('%1000000000Y', time.gmtime(0))",
])
def test_one_operation_cannot_build_a_huge_object(code):
    with pytest.raises(ScriptLimitExceeded):
        run(code, env=SMALL)


def test_a_script_that_keeps_growing_memory_is_stopped_by_the_memory_bound():
    growing = make_script_engine({}, Limits(max_memory_mb=32)).environment
    with pytest.raises(ScriptLimitExceeded, match="MB of memory"):
        run("kept = []\nwhile True:\n    kept.append('x' * 900000 + str(len(kept)))", env=growing)


def test_a_script_that_runs_too_long_is_stopped_by_the_time_bound():
    no_time = make_script_engine({}, Limits(max_seconds=0)).environment
    with pytest.raises(ScriptLimitExceeded, match="longer than 0 seconds"):
        run("while True:\n    pass", env=no_time)


def test_ordinary_scripts_keep_working():
    data = run(
        "total = 0\n"
        "for name, amount in items:\n"
        "    total += amount * 2\n"
        "labels = {k: v.upper() for k, v in names.items()}\n"
        "labels['extra'] = '{} items, {:.1f} each'.format(len(items), total / len(items))\n"
        "line = f'{owner:>6}|{total:,}' + ' (%s)' % owner\n"
        "members = committee_members_for(owner)\n"
        "big = total ** 2 > 10 and 2 ** 10 == 1024 and 'ab' * 3 == 'ababab'\n"
        "def double(x):\n    return x * 2\n"
        "doubled = sorted(map(lambda v: double(v), [3, 1, 2]))\n"
        "first, *rest = doubled\n"
        "joined = ', '.join(str(v) for v in rest)\n"
        "print('not stored anywhere')\n"
        "n = 0\nwhile n < 5:\n    n += 1\n",
        items=[["a", 10], ["b", 20]], names={"a": "x"}, owner="amy")
    assert data["total"] == 60 and data["labels"] == {"a": "X", "extra": "2 items, 30.0 each"}
    assert data["line"] == "   amy|60 (amy)" and data["members"] == ["cat", "amy"] and data["big"] is True
    assert (data["doubled"], data["first"], data["joined"], data["n"]) == ([2, 4, 6], 2, "4, 6", 5)
    assert not {"double", "_print", "_getattr_", "__builtins__"} & set(data)


def test_conditions_and_dmn_style_expressions_evaluate_in_the_sandbox():
    assert ENV.evaluate("votes[0]['decision'] == 'approve' and len(votes) >= 1",
                        {"votes": [{"decision": "approve"}]}) is True
    assert ENV.evaluate("dmninputexpr >= 1000000", {}, {"dmninputexpr": 2_000_000}) is True
