"""Scripts are parsed one thread at a time: Python before 3.11.8 shares the AST converter's recursion
count between threads, so two parsing at once could fail (CPython gh-106905; seen as a 500 when a fresh
gunicorn worker's threads first loaded the process)."""
from __future__ import annotations

import ast
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from engine.spiff.scripts import check_code


def test_no_two_threads_parse_or_compile_a_script_at_the_same_time(monkeypatch):
    inside, most, guard = [0], [0], threading.Lock()
    real_parse = ast.parse

    def watched_parse(*args, **kwargs):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.002)                       # long enough for another thread to come in, were it let
        try:
            return real_parse(*args, **kwargs)
        finally:
            with guard:
                inside[0] -= 1
    monkeypatch.setattr(ast, "parse", watched_parse)     # our check and RestrictedPython's compile both call it
    snippets = [f"total_{n} = sum([{n}, {n} + 1])\nok_{n} = total_{n} > 0" for n in range(64)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(check_code, snippets))
    assert most[0] == 1
