"""`kamflow run`: the web UI on werkzeug's threaded server with a timer worker beside it."""
from __future__ import annotations

import logging
import threading

from werkzeug.serving import make_server

from . import create_app

log = logging.getLogger("kamflow.web")


def serve(url: str, host: str = "127.0.0.1", port: int = 5000, with_worker: bool = True,
          interval: float = 10.0) -> int:
    from engine.cli import run_worker
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)   # schema checks are routine here
    app = create_app({"DATABASE_URL": url})
    stop = threading.Event()
    worker = None
    if with_worker:
        worker = threading.Thread(target=run_worker, args=(app.extensions["kamflow"], interval),
                                  kwargs={"stop": stop}, name="kamflow-timers", daemon=True)
        worker.start()
    server = make_server(host, port, app, threaded=True)
    print(f"KAM Flow is running at http://{host}:{server.server_port}/ (Ctrl+C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        if worker is not None:
            worker.join(timeout=5)
    return 0
