"""The `kamflow` command: the engine's commands plus `serve` (production, under gunicorn)."""
from __future__ import annotations

import argparse
import sys

from engine import cli as engine_cli


def cmd_serve(args) -> int:
    from gunicorn.app.base import BaseApplication

    from . import create_app

    url = engine_cli.database_url(args.db)

    class KamFlow(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{args.host}:{args.port}", "workers": args.workers,
                               "threads": args.threads, "accesslog": "-", "timeout": 60}.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app({"DATABASE_URL": url})

    KamFlow().run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = engine_cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    serve = commands.add_parser("serve", help="serve the web UI for production (gunicorn); run "
                                              "`kamflow worker` beside it for timers")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    serve.add_argument("--threads", type=int, default=4, help="threads per worker")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    return engine_cli.main(argv, build_parser())


if __name__ == "__main__":
    sys.exit(main())
