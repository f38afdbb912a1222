"""schemathesis against a live server: the app on a real port with the demo organisation, its
projects and a token; every operation is fuzzed from the OpenAPI document, and no answer may
be a 5xx or differ from the document (status, content type, headers, body schema).

One check is left out: `positive_data_acceptance` expects any body the document allows to be
accepted, but a task's `data` is checked against that task's own form, which the document
can only call an object."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from engine import Engine, demo
from webui import create_app
from webui.api.docs import METHODS, document

from ...conftest import ROOT

MAX_EXAMPLES = os.environ.get("KAMFLOW_SCHEMATHESIS_EXAMPLES", "8")
SEED = os.environ.get("KAMFLOW_SCHEMATHESIS_SEED", "20261202")


@pytest.fixture
def live_api(tmp_path):
    eng = Engine(f"sqlite:///{tmp_path / 'kamflow.db'}", forms_dir=ROOT / "forms")
    eng.deploy(ROOT / "workflows")
    demo.create_users(eng, password=None)
    demo.create_projects(eng)
    app = create_app({"ENGINE": eng, "SECRET_KEY": "schemathesis", "INSTANCE_PATH": tmp_path / "instance"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _, secret = eng.tokens.create("bob", "schemathesis", days=1)    # a manager: tasks to read, claim, complete
    yield f"http://127.0.0.1:{server.server_port}/api/v1", secret
    server.shutdown()
    thread.join()
    eng.close()


def test_schemathesis_finds_no_server_error_and_no_answer_unlike_the_document(live_api, tmp_path):
    base, secret = live_api
    command = [str(Path(sys.executable).with_name("schemathesis")), "run", f"{base}/openapi.json",
               "--header", f"Authorization: Bearer {secret}", "--checks", "all",
               "--exclude-checks", "positive_data_acceptance", "--max-examples", MAX_EXAMPLES, "--seed", SEED,
               "--workers", "1", "--no-shrink", "--request-timeout", "30"]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""})
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    guarded = [op for item in document()["paths"].values() for m, op in item.items()
               if m in METHODS and op.get("security") != []]
    tested = re.search(r"Tested: (\d+)", run.stdout)
    assert tested and int(tested.group(1)) >= len(guarded) and " passed" in run.stdout, run.stdout[-3000:]
