"""The seeded organisation: departments of reps under managers, directors above them and a head
of sales at the top of the `reports_to` chain; the key-account committee with its chair;
admins and compliance. Made through the engine's own `add_user`, so every user has its audit
stream; one password hash (the demo password) is then set for all in one statement.

Department 0 is the pool department: it has two managers, so its reviews are offered to the
pool `manager:<department>` for either to claim (issue 12's 10,000-task pool).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import update

from ..db.schema import User
from ..demo import PASSWORD
from ..passwords import hash_password
from .shape import Organisation

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴"
GIVEN = "志明雅婷怡君建宏淑芬家豪俊傑美玲冠宇佩珊承恩宗翰欣怡思穎柏翰詩涵文彬秀英立群美惠"


@dataclass(frozen=True)
class Department:
    name: str
    managers: tuple[str, ...]
    reps: tuple[str, ...]


@dataclass
class People:
    departments: list[Department] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    committee: list[tuple[str, list[str]]] = field(default_factory=list)   # (username, groups), chair first
    admins: list[str] = field(default_factory=list)
    head: str = "head"

    @property
    def reps(self) -> list[str]:
        return [r for d in self.departments for r in d.reps]

    def department_of(self, rep: str) -> Department:
        return next(d for d in self.departments if rep in d.reps)


def plan(org: Organisation) -> People:
    """Who is who, by name only (deterministic: the names follow from the sizes)."""
    people = People()
    reps = [f"rep{i:03d}" for i in range(1, org.reps + 1)]
    for d in range(org.departments):
        managers = ("mgr00a", "mgr00b") if d == 0 else (f"mgr{d:02d}",)
        people.departments.append(Department(f"sales-{d:02d}", managers, tuple(reps[d::org.departments])))
    people.directors = [f"dir{i}" for i in range(1, org.directors + 1)]
    people.committee = [("kc1", ["committee", "chair"])] + [(f"kc{i}", ["committee"])
                                                            for i in range(2, org.committee + 1)]
    people.admins = [f"admin{i}" for i in range(1, org.admins + 1)]
    return people


def _name(rng: random.Random) -> str:
    given = rng.randrange(0, len(GIVEN) // 2) * 2
    return rng.choice(SURNAMES) + GIVEN[given:given + 2]


def create(eng, org: Organisation, people: People, rng: random.Random) -> int:
    """Make the users and groups; returns how many users."""
    made = []

    def add(username, groups, department, reports_to):
        eng.add_user(username, groups=groups, department=department, reports_to=reports_to,
                     email=f"{username}@seed.kamflow.test", display_name=f"{_name(rng)} {username}")
        made.append(username)

    for admin in people.admins:
        add(admin, ["admin"], "it", None)
    add(people.head, ["manager"], "hq", None)
    for name, groups in people.committee:
        add(name, groups, "hq", people.head)
    for i, director in enumerate(people.directors):
        add(director, ["manager"], f"region-{i + 1}", people.head)
    for d, department in enumerate(people.departments):
        director = people.directors[d % len(people.directors)]
        for manager in department.managers:
            add(manager, ["manager"], department.name, director)
        for rep in department.reps:
            add(rep, ["rep"], department.name, department.managers[0])
    if "compliance" not in {g.name for g in eng.groups.list()}:
        eng.groups.create("compliance", people.admins[0], "法遵：審核禮品與招待 Reviews gifts and hospitality")
    for i in range(1, org.compliance + 1):
        add(f"legal{i}", ["compliance"], "legal", people.head)
    with eng.db.begin() as conn:               # everyone signs in with the demo password
        conn.execute(update(User).where(User.username.in_(made)).values(password_hash=hash_password(PASSWORD)))
    return len(made)
