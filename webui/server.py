"""Serving the web UI: werkzeug's threaded server for `kamflow run`, gunicorn for production.

Whoever starts the server decides what runs beside it (`background(engine, stop)`, e.g. the
timer worker); the web UI itself knows nothing of workers or the command line.
"""
from __future__ import annotations

import gc
import logging
import threading
from typing import Callable

from werkzeug.serving import make_server

from . import create_app

log = logging.getLogger("kamflow.web")


def settled(app):
    """`app` with everything built at start-up moved out of the collector's sight (`gc.freeze`).

    A request allocates many objects (a workflow restored, a report's rows); each full collection
    then walked every module, mapper and parsed process the worker holds as well, ~100 ms at a time
    for the committee's coverage report. What start-up built lives as long as the process, so the
    collector need never look at it again. Called once per serving process, after the app is built."""
    gc.collect()
    gc.freeze()
    return app


def serve(url: str, host: str = "127.0.0.1", port: int = 5000,
          background: Callable[..., None] | None = None) -> int:
    """Serve until Ctrl+C, with `background(engine, stop)` in a thread beside the app."""
    app = settled(create_app({"DATABASE_URL": url}))
    stop = threading.Event()
    helper = None
    if background is not None:
        helper = threading.Thread(target=background, args=(app.extensions["kamflow"], stop),
                                  name="kamflow-worker", daemon=True)
        helper.start()
    server = make_server(host, port, app, threaded=True)
    print(f"KAM Flow is running at http://{host}:{server.server_port}/ (Ctrl+C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        if helper is not None:
            helper.join(timeout=5)
    return 0


def serve_production(url: str, host: str, port: int, workers: int, threads: int) -> int:
    """The web UI under gunicorn: `workers` processes of `threads` threads each."""
    from gunicorn.app.base import BaseApplication

    class KamFlow(BaseApplication):
        def load_config(self):
            # no control socket: gunicorn 27 puts it at one path per user, so two servers on a host
            # would take it from each other (docs/deploy.md runs several); nothing here uses it
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "accesslog": "-", "timeout": 60, "control_socket_disable": True}.items():
                self.cfg.set(key, value)

        def load(self):
            return settled(create_app({"DATABASE_URL": url}))

    KamFlow().run()
    return 0
