"""Server-side time per page of the web UI, and as a ratio to a trivial Flask endpoint.

The app runs in this process on a fresh SQLite file with the demo data (`demo.create_users`
+ `demo.create_projects`, plus one project taken to authorisation so the record exists);
Flask's test client sends N GETs per page, signed in as a user who works there. The
baseline, measured in the same run, is a bare Flask app answering "ok" through the same
test client, so the ratio says how much work a page adds over Flask itself. No asserts:
the issue asks for pages under 100 ms server-side; this reports where they stand.

    .venv/bin/python bench/web.py [--n 200]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402

from engine import Engine, demo  # noqa: E402
from webui import create_app  # noqa: E402


def timings(client, url: str, n: int) -> tuple[list[float], int]:
    """Milliseconds for each of `n` GETs of `url` (after a few warm-up requests)."""
    status = 0
    for _ in range(3):
        status = client.get(url).status_code
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
    return out, status


def baseline_client():
    app = Flask("baseline")
    app.add_url_rule("/", "ping", lambda: "ok")
    return app.test_client()


def signed_in(app, username: str):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": demo.PASSWORD})
    return client


def demo_engine(folder: Path) -> tuple[Engine, dict[str, str]]:
    eng = Engine(f"sqlite:///{folder / 'kamflow.db'}", forms_dir=ROOT / "forms")
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng)
    demo.create_projects(eng)
    established = demo.to_committee(eng, "amy", "台灣高鐵售票 THSR ticketing")
    demo.complete_open(eng, established, "committee_vote")
    demo.complete_open(eng, established, "authorisation")
    review = next(t for t in eng.tasks("bob") if t.bpmn_id == "manager_review")
    return eng, {"established": established, "review_task": review.id}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="timed requests per page")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        eng, ids = demo_engine(Path(tmp))
        app = create_app({"ENGINE": eng, "SECRET_KEY": "bench", "INSTANCE_PATH": Path(tmp) / "instance",
                          "WTF_CSRF_ENABLED": False})     # only the sign-in posts; every timed request is a GET
        amy, bob, zoe = signed_in(app, "amy"), signed_in(app, "bob"), signed_in(app, "zoe")
        pages = [
            ("login page", app.test_client(), "/login"),
            ("inbox (amy)", amy, "/"),
            ("task page: manager review (bob)", bob, f"/tasks/{ids['review_task']}"),
            ("project page (amy)", amy, f"/projects/{ids['established']}"),
            ("authorisation record (amy)", amy, f"/projects/{ids['established']}/authorisation"),
            ("admin instances (zoe)", zoe, "/admin/"),
        ]
        base, _ = timings(baseline_client(), "/", args.n)
        base_median = statistics.median(base)
        print(f"{args.n} GETs per page through Flask's test client, SQLite, demo data")
        print(f"baseline: a bare Flask endpoint, median {base_median:.3f} ms, p95 {p95(base):.3f} ms")
        print(f"{'page':<34}{'status':>7}{'median ms':>11}{'p95 ms':>9}{'× baseline':>12}")
        for name, client, url in pages:
            ms, status = timings(client, url, args.n)
            median = statistics.median(ms)
            print(f"{name:<34}{status:>7}{median:>11.1f}{p95(ms):>9.1f}{median / base_median:>12.0f}", flush=True)
        eng.close()


if __name__ == "__main__":
    main()
