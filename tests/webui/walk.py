"""Walking the running app as its users do: sign in, follow same-origin links, and collect
every request a page can make (each form with each of its submit buttons, each query and
path parameter), so the fuzz walk reaches pages added later without being told about them.
"""
from __future__ import annotations

import inspect
import re
import sys
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import lxml.html
import werkzeug.urls  # noqa: F401 - registers "werkzeug.url_quote", the error handler werkzeug decodes forms with

TEXT_INPUTS = {"text", "search", "email", "url", "tel", ""}
_ARGS_READ = re.compile(r"request\.(?:args|values)\.get(?:list)?\(\s*[\"'](\w+)[\"']")
PLACEHOLDER = "FUZZPLACEHOLDER"


@dataclass(frozen=True)
class Call:
    """One request a page makes: method, path, the values a browser sends (`fields`, as
    pairs), the form's submit buttons, the typed-text fields (stored as sent when accepted),
    and where it was found."""

    role: str
    method: str
    path: str
    fields: tuple[tuple[str, str], ...]
    buttons: tuple[tuple[str, str], ...] = ()
    text_fields: frozenset[str] = frozenset()
    endpoint: str = ""
    found_on: str = ""
    kinds: tuple[tuple[str, str], ...] = ()     # (field, "tag type maxlength row"): alike fields act alike

    def kind_of(self, name: str) -> str:
        return dict(self.kinds).get(name, name)

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return self.fields + self.buttons[:1]

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.pairs))

    def pressing(self, press: int = 0) -> list[tuple[str, str]]:
        """The form's values sent with its `press`-th submit button (counting round)."""
        return list(self.fields) + ([self.buttons[press % len(self.buttons)]] if self.buttons else [])

    def sending(self, name: str, value: str, press: int = 0) -> list[tuple[str, str]]:
        """As `pressing`, with `name` (a field or the button itself) set to `value`."""
        return [(n, v) for n, v in self.pressing(press) if n != name] + [(name, value)]


@dataclass
class Walk:
    pages: list[tuple[str, str]] = field(default_factory=list)          # (role, path) visited
    calls: list[Call] = field(default_factory=list)                     # forms and their buttons
    queries: list[tuple[Call, str]] = field(default_factory=list)        # (GET call, parameter name)
    paths: list[tuple[Call, str]] = field(default_factory=list)          # (call, path argument name)


def encode(pairs) -> str:
    """A urlencoded body or query as a browser would send it; lone surrogates go out as their
    (invalid) UTF-8 bytes, which is as far as HTTP lets them travel."""
    return urlencode([(n.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass")) for n, v in pairs])


def sent_as(value: str) -> str:
    """What the server reads from `value` as `encode` sends it: werkzeug keeps bytes that are
    not UTF-8 as their %XX escapes."""
    return parse_qsl(encode([("v", value)]), keep_blank_values=True, errors="werkzeug.url_quote")[0][1]


def _endpoint(adapter, path: str, method: str = "GET") -> tuple[str, dict] | None:
    """(endpoint, path arguments) of a path of this app, or None."""
    try:
        return adapter.match(urlsplit(path).path, method=method)
    except Exception:  # noqa: BLE001 - not a page or form target of this app
        return None


def _kinds(form) -> tuple[tuple[str, str], ...]:
    kinds = {}
    for element in form.inputs:
        name = element.get("name")
        if name and name not in kinds:
            in_row = any(part.isdigit() for part in name.split("."))
            kinds[name] = f"{element.tag} {element.get('type', '')} {element.get('maxlength', '')} {in_row}" \
                if element.get("type") != "hidden" else f"hidden {name.split('.')[0]}"
    return tuple(kinds.items())


def _text_fields(form) -> frozenset[str]:
    names = set()
    for element in form.inputs:
        name = element.get("name")
        if not name or element.get("readonly") is not None:
            continue
        if element.tag == "textarea" or (element.tag == "input" and (element.get("type") or "").lower()
                                          in TEXT_INPUTS):
            names.add(name)
    return frozenset(names)


def _buttons(form) -> tuple[tuple[str, str], ...]:
    found = form.xpath(".//button[@name][not(@type) or @type='submit'] | .//input[@type='submit'][@name]")
    return tuple(dict.fromkeys((b.get("name"), b.get("value") or "") for b in found))


def _forms(role: str, page_path: str, html: str, adapter) -> list[Call]:
    calls = []
    page = lxml.html.fromstring(html)
    for form in page.forms:
        action = form.get("action") or page_path
        method = (form.get("method") or "get").upper()
        matched = _endpoint(adapter, action, method)
        if matched is None or not action.startswith("/"):
            continue
        calls.append(Call(role, method, urlsplit(action).path, tuple(form.form_values()), _buttons(form),
                          _text_fields(form), matched[0], page_path, _kinds(form)))
    return calls


def query_parameters_read_by(app, endpoint: str) -> set[str]:
    """Query parameters the endpoint's module reads (`request.args.get("q")` and the like)."""
    view = app.view_functions.get(endpoint)
    if view is None:
        return set()
    module = sys.modules.get(getattr(view, "__module__", ""))
    return set(_ARGS_READ.findall(inspect.getsource(module))) if module else set()


def string_arguments(adapter, call: Call) -> list[str]:
    """The call's path arguments that take any text (an `<int:...>` one matches as a number)."""
    matched = _endpoint(adapter, call.path, call.method)
    return [name for name, value in (matched[1] if matched else {}).items() if isinstance(value, str)]


def with_path_argument(app, call: Call, name: str, value: str) -> str:
    """The call's path with one path argument replaced by `value` (percent-encoded bytes)."""
    adapter = app.url_map.bind("localhost")
    _endpoint_name, args = adapter.match(call.path, method=call.method)
    built = adapter.build(call.endpoint, {**args, name: PLACEHOLDER})
    return built.replace(PLACEHOLDER, quote(value.encode("utf-8", "surrogatepass"), safe=""))


def _unvisited_first(queue: deque, adapter, visits: Counter) -> str:
    """The first queued page of a kind not visited yet, else the next in line: the page budget
    reaches every kind of page before it sees a second account or contact."""
    for i, path in enumerate(queue):
        matched = _endpoint(adapter, path)
        if matched is not None and not visits[matched[0]]:
            del queue[i]
            return path
    return queue.popleft()


def crawl(app, clients: dict, per_endpoint: int = 6, per_role: int = 40) -> Walk:
    """Visit each role's pages (at most `per_endpoint` of each kind) and collect what they can do."""
    adapter = app.url_map.bind("localhost")
    walk, seen_calls, seen_queries, seen_paths = Walk(), set(), set(), set()
    for role, client in clients.items():
        visits: Counter = Counter()
        queue, seen = deque(["/"] if role != "anonymous" else ["/login"]), set()
        while queue and sum(visits.values()) < per_role:
            path = _unvisited_first(queue, adapter, visits)
            matched = _endpoint(adapter, path)
            if path in seen or matched is None or matched[0] == "static" or visits[matched[0]] >= per_endpoint:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            visits[matched[0]] += 1
            walk.pages.append((role, path))
            html = response.get_data(as_text=True)
            for href in lxml.html.fromstring(html).xpath("//a/@href"):
                if href.startswith("/") and not href.startswith("//"):
                    queue.append(href.split("#")[0])
            page = Call(role, "GET", urlsplit(path).path, tuple(parse_qsl(urlsplit(path).query)),
                        endpoint=matched[0], found_on=path)
            for name in sorted(query_parameters_read_by(app, matched[0]) | set(page.names)):
                if (matched[0], name) not in seen_queries:
                    seen_queries.add((matched[0], name))
                    walk.queries.append((page, name))
            for call in [page] + _forms(role, path, html, adapter):
                for name in string_arguments(adapter, call):
                    if (call.method, call.endpoint, name) not in seen_paths:
                        seen_paths.add((call.method, call.endpoint, name))
                        walk.paths.append((call, name))
                key = (call.method, call.endpoint, tuple(sorted(call.names)))
                if call is not page and key not in seen_calls:
                    seen_calls.add(key)
                    walk.calls.append(call)
    return walk
