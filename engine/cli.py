"""The `kamflow` command: initialise, deploy, add users, run timer workers, run the demo.

The database comes from `--db` or KAMFLOW_DATABASE_URL (default: SQLite under instance/).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from . import demo
from .mail import SmtpSettings, deliver
from .errors import EngineError
from .facade import Engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:///instance/kamflow.db"
log = logging.getLogger("kamflow")


def database_url(arg: str | None = None) -> str:
    return arg or os.environ.get("KAMFLOW_DATABASE_URL") or DEFAULT_URL


def cmd_init(args) -> int:
    eng = Engine(database_url(args.db))
    for row in eng.deploy(args.workflows):
        print(f"deployed {row['process_id']} v{row['version']}{'' if row['new'] else ' (unchanged)'}")
    if args.demo:
        demo.create_users(eng)
        created = demo.create_projects(eng)
        print(f"demo projects: {created} created")
        print("demo users (DEMO ONLY - change or remove before real use):")
        for name, groups, _dept, _boss, display in demo.USERS:
            print(f"  {name:<6} {display:<14} groups={','.join(groups):<20} password={demo.PASSWORD}")
    eng.close()
    return 0


def cmd_deploy(args) -> int:
    eng = Engine(database_url(args.db))
    for row in eng.deploy(args.folder, user=args.user):
        print(f"{row['process_id']} v{row['version']} {row['hash'][:12]} {'new' if row['new'] else 'unchanged'}")
    eng.close()
    return 0


def cmd_user_add(args) -> int:
    eng = Engine(database_url(args.db))
    user = eng.add_user(args.username, groups=args.group, department=args.department, reports_to=args.reports_to,
                        email=args.email, password=args.password, display_name=args.name)
    print(f"{user.username}: groups={','.join(user.groups)} department={user.department or '-'}")
    eng.close()
    return 0


def run_worker(eng: Engine, interval: float, once: bool = False, stop=None) -> None:
    """Fire due timers and deliver the outbox every `interval` seconds; any number may run."""
    while True:
        try:
            fired = eng.fire_timers(datetime.now(timezone.utc))
            if fired:
                log.info("fired %d timer(s)", fired)
            deliver(eng, SmtpSettings.from_env(), os.environ.get("KAMFLOW_BASE_URL", "http://127.0.0.1:5000"))
        except Exception:   # noqa: BLE001 - a worker logs and keeps going
            log.exception("timer round failed")
        if once or (stop is not None and stop.wait(interval)):
            return
        if stop is None:
            time.sleep(interval)


def cmd_worker(args) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    eng = Engine(database_url(args.db))
    try:
        run_worker(eng, args.interval, once=args.once)
    except KeyboardInterrupt:
        pass
    finally:
        eng.close()
    return 0


def cmd_run(args) -> int:
    """Initialise the demo database on first run, then serve the web UI (or walk the demo)."""
    url = database_url(args.db)
    eng = Engine(url)
    if not eng.users():
        eng.close()
        cmd_init(argparse.Namespace(db=url, workflows=args.workflows, demo=True))
        eng = Engine(url)
    else:
        eng.deploy(args.workflows)
    try:
        from webui.server import serve   # the web UI, when installed beside the engine
    except ImportError:
        demo.walk_through(eng, out=print)
        eng.close()
        return 0
    eng.close()
    return serve(url, host=args.host, port=args.port, with_worker=True)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kamflow", description="KAM Flow: the key-account development process")
    p.add_argument("--db", help="database URL (default: $KAMFLOW_DATABASE_URL or " + DEFAULT_URL + ")")
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create the schema and deploy workflows/ (with --demo: demo data)")
    init.add_argument("--demo", action="store_true")
    init.add_argument("--workflows", default=str(ROOT / "workflows"))
    init.set_defaults(func=cmd_init)
    dep = sub.add_parser("deploy", help="deploy every BPMN/DMN/form under a folder")
    dep.add_argument("folder")
    dep.add_argument("--user")
    dep.set_defaults(func=cmd_deploy)
    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add or update a user")
    add.add_argument("username")
    add.add_argument("--group", action="append", default=[], help="a group to belong to; repeat for several")
    add.add_argument("--department")
    add.add_argument("--reports-to")
    add.add_argument("--email")
    add.add_argument("--name", help="display name")
    add.add_argument("--password")
    add.set_defaults(func=cmd_user_add)
    worker = sub.add_parser("worker", help="fire due timers in a loop (run as many as you like)")
    worker.add_argument("--interval", type=float, default=10.0)
    worker.add_argument("--once", action="store_true")
    worker.set_defaults(func=cmd_worker)
    run = sub.add_parser("run", help="first run: initialise demo data; then serve")
    run.add_argument("--workflows", default=str(ROOT / "workflows"))
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=5000)
    run.set_defaults(func=cmd_run)
    return p


def main(argv: list[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Run a command; engine errors become one line on stderr and exit code 2."""
    args = (parser or build_parser()).parse_args(argv)
    try:
        return args.func(args)
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
