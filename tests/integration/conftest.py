"""An engine with the demo organisation: reps, a manager, three committee members, a chair."""
from __future__ import annotations

import pytest

from engine import Engine

from ..conftest import DATA, ROOT

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


@pytest.fixture
def eng(db_url):
    engine = Engine(db_url, forms_dir=ROOT / "forms")
    for name, roles, dept, boss in ORG:
        engine.add_user(name, groups=roles, department=dept, reports_to=boss, email=f"{name}@example.com")
    yield engine
    engine.close()


@pytest.fixture
def loop_eng(eng):
    """The engine with the tiny draft→review loop deployed."""
    eng.deploy(DATA / "review_loop")
    return eng


@pytest.fixture
def kam_eng(eng):
    """The engine with the real key-account process deployed."""
    eng.deploy(ROOT / "workflows")
    return eng
