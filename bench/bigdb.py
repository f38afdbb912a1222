"""Build, or reuse, a big seeded database for a number of projects (engine/scale), for the
benchmarks of issues 9 and 12.

SQLite: a file /tmp/kamflow-bench/big-<N>.db. PostgreSQL: the database `kamflow_bench_<N>` on
the server of $KAMFLOW_TEST_POSTGRESQL_URL (or `--pg URL`). Each is rebuilt when its
fingerprint changes: the seeder's code, the workflows, N and the seed. A new migration head does
not rebuild it: opening it upgrades it in place, as a production database is upgraded (so a
migration's backfill is timed at scale too, the first time). The fingerprint and the seeding
times are kept beside the SQLite file and as the PostgreSQL database's comment. Other bench
scripts import `database()`.

With KAMFLOW_BENCH_COPY=NAME set, every bench script uses its own copy of the built database
(big-<N>-NAME.db; `kamflow_bench_<N>_NAME`), made from it the first time: a branch that adds a
migration upgrades its copy, and the databases other branches measure stay at their heads.

    .venv/bin/python bench/bigdb.py --n 100000 [--db sqlite|postgresql|both|auto] [--pg URL] [--rebuild]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from engine import Engine  # noqa: E402
from engine.scale import landmarks, seed  # noqa: E402
from engine.scale.org import plan  # noqa: E402
from engine.scale.shape import organisation  # noqa: E402

FOLDER = Path("/tmp/kamflow-bench")


def fingerprint(n: int, seed_value: int) -> str:
    """Changes with the seeder, the workflows, N and the seed."""
    digest = hashlib.sha256(f"{n}:{seed_value}".encode())
    files = sorted((ROOT / "engine" / "scale").glob("*.py")) + sorted((ROOT / "workflows").glob("*"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def people(n: int) -> dict[str, str]:
    """Who to time as: a typical rep and manager, the pool's manager, a committee member, ..."""
    return landmarks(plan(organisation(n)))


def _seed(url: str, n: int, seed_value: int, quiet: bool) -> dict:
    eng = Engine(url, forms_dir=ROOT / "forms")
    cpu = time.process_time()
    try:
        summary = seed(eng, n, seed=seed_value, progress=(lambda line: None) if quiet else print)
    finally:
        eng.close()
    return {"seconds": {k: round(v, 1) for k, v in summary.seconds.items()}, "rows": summary.rows,
            "cpu_seconds": round(time.process_time() - cpu, 1), "load": round(os.getloadavg()[0], 1)}


def _copy_name() -> str | None:
    name = os.environ.get("KAMFLOW_BENCH_COPY", "")
    if name and not name.replace("_", "").isalnum():
        raise SystemExit("KAMFLOW_BENCH_COPY: letters, digits and _ only")
    return name or None


def _sqlite_copy(url: str, name: str) -> str:
    source = Path(make_url(url).database)
    copy = source.with_name(f"{source.stem}-{name}.db")
    if not copy.exists():
        partial = copy.with_suffix(".copying")
        partial.unlink(missing_ok=True)
        # SQLite's own backup, not a file copy: other bench runs may be writing to the source, and
        # what they wrote lives in its WAL until a checkpoint (a copied file alone missed it once)
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst, pages=65_536)
        os.replace(partial, copy)
    Engine(f"sqlite:///{copy}").close()           # upgraded in place to this branch's head
    return f"sqlite:///{copy}"


def _postgresql_copy(url: str, server: str, name: str) -> str:
    source = make_url(url).database
    target = f"{source}_{name}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target}):
                conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
    finally:
        admin.dispose()
    copy = make_url(url).set(database=target).render_as_string(hide_password=False)
    Engine(copy).close()
    return copy


def sqlite_database(n: int, seed_value: int = 1, rebuild: bool = False, quiet: bool = False,
                    upgrade: bool = True) -> tuple[str, dict]:
    FOLDER.mkdir(parents=True, exist_ok=True)
    path, meta_path = FOLDER / f"big-{n}.db", FOLDER / f"big-{n}.json"
    wanted = fingerprint(n, seed_value)
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if path.exists() and meta.get("fingerprint") == wanted and not rebuild:
        if upgrade:
            Engine(f"sqlite:///{path}").close()        # upgraded in place to the current head
        return f"sqlite:///{path}", meta
    building = FOLDER / f"big-{n}.building.db"
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    meta = {"fingerprint": wanted, **_seed(f"sqlite:///{building}", n, seed_value, quiet)}
    done = create_engine(f"sqlite:///{building}")
    with done.connect() as conn:                 # fold the WAL in, so the file stands alone
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    done.dispose()
    for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        old.unlink(missing_ok=True)
    os.replace(building, path)
    meta_path.write_text(json.dumps(meta))
    return f"sqlite:///{path}", meta


def postgresql_database(n: int, server: str, seed_value: int = 1, rebuild: bool = False,
                        quiet: bool = False, upgrade: bool = True) -> tuple[str, dict]:
    name = f"kamflow_bench_{n}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    wanted = fingerprint(n, seed_value)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            comment = conn.scalar(text("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                       "WHERE datname = :name"), {"name": name})
            meta = json.loads(comment) if comment and comment.startswith("{") else {}
            if meta.get("fingerprint") == wanted and not rebuild:
                if upgrade:
                    Engine(url).close()                # upgraded in place to the current head
                return url, meta
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        meta = {"fingerprint": wanted, **_seed(url, n, seed_value, quiet)}
        with admin.connect() as conn:            # the mark that the database is complete
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{json.dumps(meta)}'"))
        return url, meta
    finally:
        admin.dispose()


def database(n: int, backend: str, pg: str | None = None, seed_value: int = 1, rebuild: bool = False,
             quiet: bool = False) -> tuple[str, dict]:
    """(URL, {fingerprint, seconds, rows}) of a big database of `n` projects on `backend`
    (of its copy, when KAMFLOW_BENCH_COPY names one)."""
    copy = _copy_name()
    if backend == "sqlite":
        url, meta = sqlite_database(n, seed_value, rebuild, quiet, upgrade=not copy)
        return (_sqlite_copy(url, copy) if copy else url), meta
    server = pg or os.environ.get("KAMFLOW_TEST_POSTGRESQL_URL")
    if not server:
        raise SystemExit("PostgreSQL: pass --pg URL or set KAMFLOW_TEST_POSTGRESQL_URL")
    url, meta = postgresql_database(n, server, seed_value, rebuild, quiet, upgrade=not copy)
    url = _postgresql_copy(url, server, copy) if copy else url
    _as_deployed(server, make_url(url).database)
    return url, meta


# What docs/deploy.md sets on a production database (a copy made from a template does not inherit
# it), so that a figure measured here is the figure a deployment sees: with the default 4 MB, a
# manager's cycle time sorted its 63,000 times on disk.
DEPLOYED = {"work_mem": "16MB"}


def _as_deployed(server: str, name: str) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for setting, value in DEPLOYED.items():
                conn.execute(text(f'ALTER DATABASE "{name}" SET {setting} = \'{value}\''))
    finally:
        admin.dispose()


def backends(choice: str, pg: str | None = None) -> list[str]:
    if choice == "auto":
        choice = "both" if pg or os.environ.get("KAMFLOW_TEST_POSTGRESQL_URL") else "sqlite"
    return ["sqlite", "postgresql"] if choice == "both" else [choice]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="projects")
    ap.add_argument("--db", choices=("sqlite", "postgresql", "both", "auto"), default="auto",
                    help="auto: SQLite, and PostgreSQL too when a server is given")
    ap.add_argument("--pg", help="PostgreSQL server URL (default: $KAMFLOW_TEST_POSTGRESQL_URL)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rebuild", action="store_true", help="seed again even if the fingerprint matches")
    args = ap.parse_args()
    for backend in backends(args.db, args.pg):
        started = time.perf_counter()
        url, meta = database(args.n, backend, args.pg, args.seed, args.rebuild)
        print(f"{backend}: {make_url(url).render_as_string()} ready in {time.perf_counter() - started:.1f}s; "
              f"seeded in {meta['seconds'].get('total')}s ({meta['seconds']}; this process's CPU "
              f"{meta.get('cpu_seconds', '?')}s, load average {meta.get('load', '?')} when done)")


if __name__ == "__main__":
    main()
