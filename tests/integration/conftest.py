"""An engine with the demo organisation: reps, a manager, three committee members, a chair.

Tests marked `across_processes` run twice: once on one engine whose cache of loaded
workflows is checked against a fresh load after every step (`cached`), and once with every
facade call on a new `Engine` with empty caches, as if each step ran in another process
(`fresh`). On PostgreSQL the fresh run is kept to the core paths (marked `core_path`) so CI
stays short; SQLite runs every path both ways. The engine checks `engine.invariants` after
every step; at the end of each test every running instance is loaded from storage and
checked once more.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import Engine
from engine.db.connect import make_engine
from engine.db.schema import Instance
from engine.invariants import ensure_progress
from engine.spiff import Runtime
from engine.status import Status
from engine.usecases import calls
from engine.usecases.runtimes import RuntimeCache

from ..conftest import DATA, ROOT, copy_database, sqlite_path

ORG = [
    ("amy", ["rep"], "north", "bob"),
    ("ann", ["rep"], "north", "bob"),
    ("bob", ["manager"], "north", "dan"),
    ("dan", ["manager", "admin"], "hq", None),
    ("cat", ["committee"], "hq", "dan"),
    ("cid", ["committee"], "hq", "dan"),
    ("col", ["committee", "chair"], "hq", "dan"),
    ("zed", ["admin"], "it", None),
]
PARTS = ("sessions", "drafts", "attachments", "notifications", "admin", "groups", "process_catalog")


def assert_running_instances_can_move_on(eng: Engine) -> None:
    """Load every running instance from storage (not from a cache) and check the invariant."""
    with eng.ctx.uow(read_only=True) as uow:
        for inst in uow.session.scalars(select(Instance).where(Instance.status == Status.RUNNING.value)):
            rt = Runtime.load(eng.ctx.models.by_id(uow.session, inst.definition_id), inst.workflow, {},
                              calls.chosen(eng.ctx, uow.session, inst))
            ensure_progress(rt.completed, rt.waits())


class _Calls:
    """Forwards attribute access to the engine (or one of its parts, e.g. `sessions`)."""

    def __init__(self, root: "CheckedEngine", part: str | None = None):
        self._root, self._part = root, part

    def __getattr__(self, name: str):
        home = self._root.home
        value = getattr(getattr(home, self._part) if self._part else home, name)
        if self._part is None and name in PARTS:
            return _Calls(self._root, name)
        if not callable(value) or name.startswith("_"):
            return value

        def call(*args, **kwargs):
            eng = self._root.engine_for_a_call()
            return getattr(getattr(eng, self._part) if self._part else eng, name)(*args, **kwargs)
        return call


class CheckedEngine(_Calls):
    """The facade as the tests see it, in one of two modes.

    `cached`: one engine for the whole test, its runtime cache verified against fresh loads.
    `fresh`: each call on a new `Engine` with empty model and runtime caches, dropped after
    the call. It shares only the first engine's SQLAlchemy engine (connection pool and
    compiled SQL, no KAM Flow state; the schema is current): compiling every statement anew
    made a fresh call several times slower. Attributes that are not calls (`ctx`, `db`)
    come from the first engine, for the tests' own look-ups in the database.
    """

    def __init__(self, url: str, mode: str):
        super().__init__(self)
        self.url, self.mode = url, mode
        self.home = Engine(url, forms_dir=ROOT / "forms")
        self.home.ctx.runtimes = RuntimeCache(verify=True)

    def engine_for_a_call(self) -> Engine:
        if self.mode == "cached":
            return self.home
        return Engine(self.url, forms_dir=ROOT / "forms", db=self.home.db)

    def close(self) -> None:
        self.home.close()


def pytest_generate_tests(metafunc):
    if "engine_mode" in metafunc.fixturenames and metafunc.definition.get_closest_marker("across_processes"):
        metafunc.parametrize("engine_mode", ["cached", "fresh"], indirect=True)


def pytest_collection_modifyitems(config, items):
    """Fresh engines on PostgreSQL: the core paths only (every path runs fresh on SQLite)."""
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        fresh_on_pg = params.get("engine_mode") == "fresh" and params.get("db_url") == "postgresql"
        optional = item.get_closest_marker("across_processes") and not item.get_closest_marker("core_path")
        (dropped if fresh_on_pg and optional else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def engine_mode(request):
    return getattr(request, "param", "cached")


def add_org(engine) -> None:
    for name, roles, dept, boss in ORG:
        engine.add_user(name, groups=roles, department=dept, reports_to=boss, email=f"{name}@example.com")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite database made once per session by the engine itself: migrated, with the
    organisation (`org`), and for `kam` the key-account workflows deployed too. Each test
    gets a copy, not a re-run of the same setup (PostgreSQL tests still set up in full)."""
    made = {}

    def template(kind: str) -> Path:
        if kind not in made:
            path = tmp_path_factory.mktemp("template") / f"{kind}.db"
            engine = Engine(f"sqlite:///{path}", forms_dir=ROOT / "forms")
            add_org(engine)
            if kind == "kam":
                engine.deploy(ROOT / "workflows")
            engine.close()
            made[kind] = path
        return made[kind]
    return template


@pytest.fixture
def eng(request, db_url, engine_mode, sqlite_template):
    kind = "kam" if "kam_eng" in request.fixturenames else "org"
    target = sqlite_path(db_url)
    if target is not None:
        copy_database(sqlite_template(kind), target)
    engine = CheckedEngine(db_url, engine_mode)
    engine.workflows_deployed = target is not None and kind == "kam"
    if target is None:
        add_org(engine)
    yield engine
    assert_running_instances_can_move_on(engine.home)
    engine.close()


@pytest.fixture
def loop_eng(eng):
    """The engine with the tiny draft→review loop deployed."""
    eng.deploy(DATA / "review_loop")
    return eng


@pytest.fixture
def kam_eng(eng):
    """The engine with the real key-account process deployed."""
    if not eng.workflows_deployed:
        eng.deploy(ROOT / "workflows")
    return eng


@pytest.fixture
def sqlite_db(tmp_path):
    """A bare SQLite database file (one table, `counter`) opened as the engine opens its own, and
    the path of its writers' lock (engine/db/sqlite_writers.py)."""
    db = make_engine(f"sqlite:///{tmp_path / 'kamflow.db'}")
    with db.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE counter (n INTEGER)")
        conn.exec_driver_sql("INSERT INTO counter VALUES (0)")
    yield db, tmp_path / "kamflow.db-writers"
    db.dispose()
