"""Many processes starting at once on an empty database: one schema, one deployed version,
the demo data once, and no process fails."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

from sqlalchemy import create_engine, func, select

from engine.db.schema import Definition, Instance, User

from ..conftest import ROOT

LISTENING = re.compile(r"(?:running at|Listening at:) (http://[\d.:]+)")


def kamflow(url: str, *command: str) -> subprocess.Popen:
    env = {**os.environ, "KAMFLOW_SECRET_KEY": "start-up-test"}
    return subprocess.Popen([sys.executable, "-m", "kamflow.cli", "--db", url, *command], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_until_serving(proc: subprocess.Popen, seconds: float = 120) -> str:
    """The server's address once it answers a page; its output so far if it never does."""
    seen, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        line = proc.stdout.readline()
        seen.append(line)
        found = LISTENING.search(line)
        if found:
            address = found.group(1)
            while time.monotonic() < end:
                try:
                    with urllib.request.urlopen(f"{address}/login", timeout=10) as page:
                        return str(page.status)
                except OSError:
                    time.sleep(0.2)
        if not line and proc.poll() is not None:
            break
    raise AssertionError("".join(seen))


def test_six_processes_starting_at_once_on_an_empty_database_set_it_up_exactly_once(db_url):
    starters = [kamflow(db_url, "init", "--demo"), kamflow(db_url, "init", "--demo"), kamflow(db_url, "init"),
                kamflow(db_url, "worker", "--once")]
    servers = [kamflow(db_url, "run", "--port", "0"), kamflow(db_url, "serve", "--port", "0", "--workers", "1")]
    try:
        assert [wait_until_serving(s) for s in servers] == ["200", "200"]
        outputs = [p.communicate(timeout=300)[0] for p in starters]
        assert [p.returncode for p in starters] == [0, 0, 0, 0], outputs
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
            s.communicate(timeout=60)
    db = create_engine(db_url)
    with db.connect() as conn:
        versions = conn.execute(select(Definition.process_id, Definition.version)).all()
        users = conn.scalar(select(func.count()).select_from(User))
        projects = conn.scalar(select(func.count()).select_from(Instance))
    db.dispose()
    assert sorted(versions) == [("gift_approval", 1), ("key_account_development", 1)]
    assert (users, projects) == (10, 8)     # the demo's 9 people and eve (compliance); 7 projects, a gift approval


def test_the_demo_is_seeded_once_and_never_onto_a_database_with_real_users(db_url):
    from engine import Engine, demo
    eng = Engine(db_url)
    try:
        eng.deploy(ROOT / "workflows")
        eng.add_user("real.person", groups=["admin"])
        assert not demo.seed(eng, empty_only=True)        # what `kamflow run` asks: not on real data
        assert demo.seed(eng) and not demo.seed(eng)      # `kamflow init --demo`: once
        assert len(eng.users()) == 2 + len(demo.USERS) and len(eng.instances(projects_only=True)) == 7
    finally:
        eng.close()
