"""Messages per second through the outbox queue, as a ratio to raw SMTP.

The baseline, measured in the same run because these machines are noisy: smtplib sending
the same number of already built messages over one connection to the same local SMTP
server (aiosmtpd). Then `deliver()` on SQLite and (if KAMFLOW_TEST_POSTGRESQL_URL or --pg is
given) PostgreSQL: each message claimed, worded, sent and marked in transactions of its own.

    .venv/bin/python bench/mail.py [--n 500] [--pg URL]
"""
from __future__ import annotations

import argparse
import os
import smtplib
import socket
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from engine import Engine  # noqa: E402
from engine.demo import create_users  # noqa: E402
from engine.mail import SmtpSettings, deliver  # noqa: E402
from engine.mail.headers import compose  # noqa: E402
from engine.usecases.notifications import notify  # noqa: E402

PROCESS = "key_account_development"
PEOPLE = ["bob", "sue", "dan", "cat", "ken", "col", "ray", "zoe"]


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def raw_rate(port: int, n: int) -> float:
    """Prebuilt messages over one smtplib connection: what SMTP itself costs here."""
    messages = [compose(f"新待辦事項：台北捷運票務－部門經理審核 {i}", "王大明 您好：\n請至 KAM Flow 查看。\n",
                        sender="kamflow@example.com", to_name="王大明", to_address="bob@example.com",
                        message_id=f"<{i}@example.com>", when=datetime.now(timezone.utc)) for i in range(n)]
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for msg in messages:
            smtp.send_message(msg, from_addr="kamflow@example.com", to_addrs=["bob@example.com"])
    return n / (time.perf_counter() - start)


def queue_rate(url: str, port: int, n: int) -> float:
    eng = Engine(url)
    try:
        eng.deploy(ROOT / "workflows")
        create_users(eng, password=None)
        iid = eng.start(PROCESS, "amy", {"project_name": "台北捷運票務 Taipei Metro ticketing"})
        task_id = eng.instance(iid).tasks[0].id
        with eng.ctx.uow() as uow:
            for i in range(n):
                notify(uow.session, uow.directory, [PEOPLE[i % len(PEOPLE)]], "task_assigned", eng.ctx.clock(),
                       iid, task_id, actor="amy")
        settings = SmtpSettings("127.0.0.1", port, starttls=False, sender="kamflow@example.com")
        start = time.perf_counter()
        sent = deliver(eng, settings, limit=n)
        elapsed = time.perf_counter() - start
        assert sent == n, sent
        return n / elapsed
    finally:
        eng.close()


def fresh_pg(url: str) -> str:
    schema = f"bench_mail_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500, help="messages per row")
    ap.add_argument("--pg", default=os.environ.get("KAMFLOW_TEST_POSTGRESQL_URL", ""))
    args = ap.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Controller(Sink(), hostname="127.0.0.1", port=port)
    server.start()
    print("ratio = outbox messages/s (claim, word, send, mark) ÷ raw smtplib messages/s on one")
    print("connection to the same local server, the baseline re-measured right before each row")
    print(f"{'database':<11}{'messages/s':>12}{'baseline/s':>12}{'ratio':>8}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for db in ["sqlite"] + (["postgresql"] if args.pg else []):
                url = f"sqlite:///{tmp}/bench_mail.db" if db == "sqlite" else fresh_pg(args.pg)
                base = raw_rate(port, args.n)
                rate = queue_rate(url, port, args.n)
                print(f"{db:<11}{rate:>12,.0f}{base:>12,.0f}{rate / base:>8.2f}", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
