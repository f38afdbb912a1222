"""The `kamflow` command: initialise, deploy, add users, run workers, serve the web UI.

It sits above both layers: the engine knows nothing of it, the web UI knows nothing of it.
The database comes from `--db` or KAMFLOW_DATABASE_URL (default: SQLite under instance/).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from pathlib import Path

from engine import Engine, EngineError, demo
from engine.mail import SmtpSettings
from engine.worker import run_worker

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:///instance/kamflow.db"


def database_url(arg: str | None = None) -> str:
    return arg or os.environ.get("KAMFLOW_DATABASE_URL") or DEFAULT_URL


def _log_to_stderr() -> None:
    """KAM Flow's own lines at INFO; libraries (SpiffWorkflow's line per task, Alembic's schema
    checks, the web server's line per request) only from WARNING, unless KAMFLOW_LOG_LEVEL
    (DEBUG, INFO, ...) asks for more from everyone."""
    chosen = os.environ.get("KAMFLOW_LOG_LEVEL", "").upper()
    level = logging.getLevelName(chosen) if chosen else None
    if not isinstance(level, int):
        level = None
    logging.basicConfig(level=level or logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("kamflow").setLevel(level or logging.INFO)


def _worker_for(interval: float, once: bool = False):
    """The worker loop with this deployment's mail settings, for a thread or a process."""
    mail = SmtpSettings.from_env()
    base_url = os.environ.get("KAMFLOW_BASE_URL", "http://127.0.0.1:5000")
    return lambda eng, stop=None: run_worker(eng, interval, once=once, stop=stop, mail=mail, base_url=base_url)


def _deploy_and_seed(eng: Engine, workflows: str, with_demo: bool, empty_only: bool = False) -> None:
    for row in eng.deploy(workflows):
        print(f"deployed {row['process_id']} v{row['version']}{'' if row['new'] else ' (unchanged)'}")
    if not with_demo:
        return
    if not demo.seed(eng, empty_only=empty_only):
        print("demo data: not created (the database already has users)")
        return
    print("demo projects: created; demo users (DEMO ONLY - change or remove before real use):")
    for name, groups, _dept, _boss, display in [*demo.USERS, demo.COMPLIANCE_USER]:
        print(f"  {name:<6} {display:<14} groups={','.join(groups):<20} password={demo.PASSWORD}")


def cmd_init(args) -> int:
    eng = Engine(database_url(args.db))
    try:
        _deploy_and_seed(eng, args.workflows, args.demo)
    finally:
        eng.close()
    return 0


def cmd_demo(args) -> int:
    """A big, realistic database for benchmarks (engine/scale): users, accounts, N projects."""
    from engine.scale import seed

    if args.scale < 1:
        print("error: --scale must be at least 1", file=sys.stderr)
        return 2
    eng = Engine(database_url(args.db))
    try:
        summary = seed(eng, args.scale, seed=args.seed)
    finally:
        eng.close()
    print(f"seeded {summary.projects} projects, {summary.accounts} accounts, {summary.users} users "
          f"in {summary.seconds['total']:.1f}s (password for everyone: {demo.PASSWORD})")
    print("rows: " + ", ".join(f"{name} {count}" for name, count in summary.rows.items()))
    print("people to try: " + ", ".join(f"{role} {who}" for role, who in summary.landmarks.items()))
    return 0


def cmd_deploy(args) -> int:
    eng = Engine(database_url(args.db))
    try:
        for row in eng.deploy(args.folder, user=args.user):
            print(f"{row['process_id']} v{row['version']} {row['hash'][:12]} {'new' if row['new'] else 'unchanged'}")
    finally:
        eng.close()
    return 0


def cmd_user_add(args) -> int:
    eng = Engine(database_url(args.db))
    try:
        user = eng.add_user(args.username, groups=args.group, department=args.department,
                            reports_to=args.reports_to, email=args.email, password=args.password,
                            display_name=args.name)
        print(f"{user.username}: groups={','.join(user.groups)} department={user.department or '-'}")
    finally:
        eng.close()
    return 0


def cmd_worker(args) -> int:
    _log_to_stderr()
    eng = Engine(database_url(args.db))
    try:
        _worker_for(args.interval, once=args.once)(eng)
    except KeyboardInterrupt:
        pass
    finally:
        eng.close()
    return 0


def cmd_run(args) -> int:
    """Demo data on first run, then the web UI with a timer worker beside it."""
    from webui.server import serve

    url = database_url(args.db)
    eng = Engine(url)
    try:
        _deploy_and_seed(eng, args.workflows, with_demo=True, empty_only=True)   # never on a real database
    finally:
        eng.close()
    _log_to_stderr()
    return serve(url, host=args.host, port=args.port, background=_worker_for(args.interval))


def cmd_audit_verify(args) -> int:
    """Walk every audit stream (or one); print the first altered or missing row of each. Exit 1 if any."""
    eng = Engine(database_url(args.db))
    try:
        problems = eng.verify_audit(args.stream)
    finally:
        eng.close()
    for problem in problems:
        print(f"BROKEN {problem}")
    if not problems:
        print("audit log intact: every stream verifies")
    return 1 if problems else 0


def default_workers() -> int:
    """Two gunicorn processes per core this process may run on, 2 to 8: Python runs one thread of a
    process at a time, so cores are used by processes, and each keeps its own database connections."""
    return max(2, min(8, 2 * len(os.sched_getaffinity(0))))


def cmd_serve(args) -> int:
    from webui.server import serve_production

    _log_to_stderr()
    return serve_production(database_url(args.db), args.host, args.port, args.workers or default_workers(),
                            args.threads)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kamflow", description="KAM Flow: the key-account development process")
    p.add_argument("--db", help="database URL (default: $KAMFLOW_DATABASE_URL or " + DEFAULT_URL + ")")
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create the schema and deploy workflows/ (with --demo: demo data)")
    init.add_argument("--demo", action="store_true")
    init.add_argument("--workflows", default=str(ROOT / "workflows"))
    init.set_defaults(func=cmd_init)
    big = sub.add_parser("demo", help="seed an empty database with a big, realistic organisation for benchmarks")
    big.add_argument("--scale", type=int, required=True, help="how many key-account projects (e.g. 100000)")
    big.add_argument("--seed", type=int, default=1, help="random seed (the same seed gives the same data)")
    big.set_defaults(func=cmd_demo)
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
    audit = sub.add_parser("audit", help="the tamper-evident audit log").add_subparsers(dest="audit_command",
                                                                                        required=True)
    verify = audit.add_parser("verify", help="report the first altered or missing row of each stream")
    verify.add_argument("--stream", help="only this stream, e.g. instance:<id>, user:<name>, system")
    verify.set_defaults(func=cmd_audit_verify)
    worker = sub.add_parser("worker", help="fire due timers and send e-mail in a loop (run as many as you like)")
    worker.add_argument("--interval", type=float, default=10.0)
    worker.add_argument("--once", action="store_true", help="work until nothing is due, then exit")
    worker.set_defaults(func=cmd_worker)
    run = sub.add_parser("run", help="first run: initialise demo data; then serve with a worker beside it")
    run.add_argument("--workflows", default=str(ROOT / "workflows"))
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=5000)
    run.add_argument("--interval", type=float, default=10.0, help="seconds between the worker's rounds")
    run.set_defaults(func=cmd_run)
    serve = sub.add_parser("serve", help="serve the web UI for production (gunicorn); run `kamflow worker` "
                                         "beside it for timers and e-mail")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, help="gunicorn worker processes (default: 2 per core, 2 to 8)")
    serve.add_argument("--threads", type=int, default=1,
                       help="threads per worker (default: 1; more let a worker take a request while another waits)")
    serve.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run a command; engine errors become one line on stderr and exit code 2."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
