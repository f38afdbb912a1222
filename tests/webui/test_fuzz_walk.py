"""The fuzz walk: arbitrary text in every form field, query parameter and path parameter the
running app offers, on SQLite and on PostgreSQL (where NUL in a query used to be a 500).

The walk signs in as every demo role (and as nobody), follows same-origin links and collects
every form with each of its submit buttons, the query parameters each page's view reads and
every text path argument (tests/webui/walk.py), so pages added later are walked too. Each
target gets a fixed corpus (NUL, C0 and C1 controls, line breaks in one-line fields, 10,000
characters, right-to-left overrides and mixed scripts, a lone surrogate sent as the invalid
UTF-8 it becomes on the wire, LIKE wildcards and markup) plus hypothesis examples seeded by
the target, so every run sends the same; a field like one already walked on the same endpoint
(same tag, type, maxlength, row or not) gets NUL and one more corpus value; a form's submit
buttons are pressed in turn. Every request: no 5xx; a refusal (4xx) leaves every table as it
was; an accepted value of a typed-text field is stored as sent (spaces around it trimmed, line
breaks as LF). The database is put back to the same baseline before each target (but for
the append-only audit log), so every target meets the same world.
"""
from __future__ import annotations

import operator
import zlib

import lxml.html
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from engine import demo
from engine.text import trim

from .conftest import make_app
from .dbstate import Tables, changed_rows, restorable_differ, text_leaves
from .walk import Call, crawl, encode, sent_as, with_path_argument

ROLES = ("anonymous", "amy", "bob", "cat", "col", "zoe")   # nobody, rep, manager, committee, chair, admin
COOKIE = "kamflow_session"
CORPUS = ("name\x00tail", "\x01\x07\x1b[0m\x7f\x85\x9f", "line\r\nbreak\ttab", "x" * 10_000,
          "\u202eRTL עברית العربية\u200f 台北 Москва 🚀 e\u0301\ufeff\u2028 %_'\"<b>&amp;", "\ud800lone surrogate")
FUZZ = st.one_of(
    st.text(max_size=40),                                                        # mixed scripts
    st.text(st.characters(max_codepoint=0x9F), min_size=1, max_size=12),         # ASCII and controls
    st.text(st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Mn"]), min_size=1, max_size=6),
    st.builds(operator.mul, st.sampled_from(["x", "台", "\u202e", "\x00 "]), st.sampled_from([257, 10_000])),
)
EXAMPLES = 2                                # hypothesis examples per target, after the corpus
CORE = {"auth.login", "inbox.index", "tasks.submit", "projects.new", "projects.withdraw", "settings.preferences",
        "settings.out_of_office_save", "admin.instances", "admin.users.new", "admin.users.edit", "i18n.language"}


def signed_in(app, role: str):
    client = app.test_client()
    page = lxml.html.fromstring(client.get("/login").get_data(as_text=True))
    if role != "anonymous":
        token = page.xpath("string(//input[@name='csrf_token']/@value)")
        response = client.post("/login", data={"csrf_token": token, "username": role, "password": demo.PASSWORD})
        assert response.status_code == 302, role
    return client


class Prober:
    """Sends one request and checks it against the database's rows before and after."""

    def __init__(self, app, clients: dict, tables: Tables):
        self.app, self.clients, self.tables = app, clients, tables
        self.cookies = {role: c.get_cookie(COOKIE).value for role, c in clients.items() if c.get_cookie(COOKIE)}
        self.baseline = self.current = tables.snapshot()
        self.baseline_rows = tables.rows()
        self.requests = 0

    def reset(self) -> None:
        """Back to the baseline rows (the audit log only grows) and every role's own session."""
        if restorable_differ(self.current, self.baseline):
            self.tables.restore(self.baseline_rows)
            self.current = self.tables.snapshot()
        for role, cookie in self.cookies.items():
            self.clients[role].set_cookie(COOKIE, cookie)

    def send(self, call: Call, pairs, path: str | None = None, field: str | None = None, value: str = ""):
        client, path = self.clients[call.role], path or call.path
        label = f"{call.role} {call.method} {path} {field}={value[:80]!r} (found on {call.found_on})"
        try:
            if call.method == "GET":
                response = client.get(path, query_string=encode(pairs))
            else:
                response = client.post(path, data=encode(pairs), content_type="application/x-www-form-urlencoded")
        except Exception as exc:      # TESTING propagates what would have been a 500
            raise AssertionError(f"{label}: {exc!r}") from exc
        self.requests += 1
        before, self.current = self.current, self.tables.snapshot()
        changed = changed_rows(before, self.current)
        assert response.status_code < 500, label
        if response.status_code >= 400:
            assert not changed, f"{label} was refused ({response.status_code}) but changed {sorted(changed)}"
        elif changed and field in call.text_fields:
            assert stored_as_sent(value, text_leaves(changed)), f"{label} was accepted but not stored as sent"


def stored_as_sent(value: str, leaves: set[str]) -> bool:
    text = sent_as(value).replace("\r\n", "\n").replace("\r", "\n")
    wanted = {trim(sent_as(value)), trim(text)} - {""}
    lines = [trim(line) for line in text.split("\n") if trim(line)]     # a one-item-per-line text area
    return not wanted or bool(wanted & leaves) or (bool(lines) and all(line in leaves for line in lines))


def fuzz(target: str, send, full: bool = True) -> None:
    """Send values through `send(value, i)` (a form presses its submit buttons in turn by `i`):
    the corpus and hypothesis examples seeded by the target (the same in every run); a field
    like one already walked on the same endpoint gets NUL and one more corpus value."""
    key = zlib.crc32(target.encode())
    values = CORPUS if full else (CORPUS[0], CORPUS[1 + key % (len(CORPUS) - 1)])
    for i, value in enumerate(values):
        send(value, i)
    if not full:
        return
    count = iter(range(len(values), len(values) + EXAMPLES))

    @seed(key)
    @settings(max_examples=EXAMPLES, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(FUZZ)
    def examples(value):
        send(value, next(count))
    examples()


def test_arbitrary_text_in_every_field_and_parameter_never_breaks_the_app_and_a_refusal_changes_nothing(
        db_engine, db_url, tmp_path):
    demo.create_projects(db_engine)
    app = make_app(db_engine, tmp_path, WTF_CSRF_ENABLED=True)
    clients = {role: signed_in(app, role) for role in ROLES}
    walk = crawl(app, clients)
    found = {c.endpoint for c in walk.calls}
    assert CORE <= found, f"the walk missed {sorted(CORE - found)}"
    tables = Tables(db_url)
    probe = Prober(app, clients, tables)
    try:
        walked = set()                  # (endpoint, kind of field): the first such field gets everything
        for call in walk.calls:
            for name in call.names:
                probe.reset()
                kind = (call.endpoint, call.kind_of(name))
                fuzz(f"{call.endpoint} {name}", lambda v, i, call=call, name=name: probe.send(
                    call, call.sending(name, v, i), field=name, value=v), full=kind not in walked)
                walked.add(kind)
        for page, name in walk.queries:
            probe.reset()
            fuzz(f"{page.endpoint} ?{name}", lambda v, i, page=page, name=name: probe.send(
                page, page.sending(name, v), field=name, value=v))
        for call, name in walk.paths:
            probe.reset()
            fuzz(f"{call.method} {call.endpoint} <{name}>", lambda v, i, call=call, name=name: probe.send(
                call, call.pressing(i), with_path_argument(app, call, name, v), field=f"<{name}>", value=v))
    finally:
        tables.close()
    assert probe.requests >= len(CORPUS) * (len(walk.queries) + len(walk.paths)) + 2 * len(walked)
