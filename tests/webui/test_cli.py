"""The `kamflow` command keeps the engine's commands and adds `serve` for production."""
from __future__ import annotations

from webui.cli import build_parser


def test_serve_takes_host_port_and_the_number_of_gunicorn_workers():
    args = build_parser().parse_args(["serve", "--workers", "3", "--port", "8080"])
    assert (args.workers, args.port, args.host) == (3, 8080, "127.0.0.1")
    assert args.func.__name__ == "cmd_serve"


def test_the_engine_commands_are_still_there():
    for command in (["init", "--demo"], ["worker", "--once"], ["run"]):
        assert build_parser().parse_args(command).command == command[0]
