"""A serving process moves what start-up built out of the collector's sight, once."""
import gc

from webui.server import settled


def test_settling_an_app_freezes_what_start_up_built_and_returns_the_app():
    built = [object() for _ in range(100)]           # what start-up left behind
    app = object()
    try:
        assert settled(app) is app
        assert gc.get_freeze_count() >= len(built)
    finally:
        gc.unfreeze()
