"""The `kamflow` command: every command the README lists parses, and nothing loads Flask
until a command serves the web UI."""
from __future__ import annotations

import os
import subprocess
import sys

from kamflow.cli import build_parser, default_workers


def test_serve_takes_host_port_and_the_number_of_gunicorn_workers():
    args = build_parser().parse_args(["serve", "--workers", "3", "--port", "8080"])
    assert (args.workers, args.port, args.host) == (3, 8080, "127.0.0.1")
    assert args.func.__name__ == "cmd_serve"


def test_serve_by_default_runs_two_single_threaded_workers_a_core(monkeypatch):
    args = build_parser().parse_args(["serve"])
    assert (args.workers, args.threads) == (None, 1)                 # workers chosen when serving, by the cores
    for cores, workers in ((1, 2), (2, 4), (3, 6), (16, 8)):         # 2 to 8: each keeps its own connections
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid, n=cores: set(range(n)))
        assert default_workers() == workers


def test_every_command_of_the_readme_is_there():
    commands = [["init"], ["init", "--demo"], ["deploy", "workflows"], ["worker"], ["worker", "--interval", "10"],
                ["worker", "--once"], ["run"], ["serve", "--workers", "2"], ["audit", "verify"],
                ["user", "add", "amy", "--group", "rep", "--department", "north", "--reports-to", "bob",
                 "--email", "amy@example.com", "--password", "long-enough"]]
    for command in commands:
        args = build_parser().parse_args(command)
        assert args.command == command[0] and callable(args.func)


def test_the_worker_command_does_not_load_the_web_ui():
    loaded = subprocess.run([sys.executable, "-c", "import sys, kamflow.cli; print('flask' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"


def _levels(env: dict) -> list[str]:
    code = ("import logging, kamflow.cli as c; c._log_to_stderr(); "
            "print(*(logging.getLevelName(logging.getLogger(n).getEffectiveLevel()) "
            "for n in ('spiff', 'SpiffWorkflow', 'werkzeug', 'kamflow.engine')))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, **env}).stdout.split()


def test_library_chatter_stays_at_warning_unless_a_setting_raises_it():
    assert _levels({"KAMFLOW_LOG_LEVEL": ""}) == ["WARNING", "WARNING", "WARNING", "INFO"]
    assert _levels({"KAMFLOW_LOG_LEVEL": "debug"}) == ["DEBUG", "DEBUG", "DEBUG", "DEBUG"]
