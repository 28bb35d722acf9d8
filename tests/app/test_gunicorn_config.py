"""The gunicorn settings in the working directory: what a worker does after start-up."""

from __future__ import annotations

import gc
from pathlib import Path

from gunicorn.app.base import Application

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


class _Loaded(Application):
    """gunicorn's own reading of a configuration file, without running anything."""

    def init(self, parser, opts, args):
        return None

    def load(self):
        return None


def test_workers_freeze_what_start_up_made() -> None:
    app = _Loaded.__new__(_Loaded)
    app.usage, app.prog, app.callable = None, None, None
    app.load_default_config()
    app.load_config_from_file(str(CONFIG))
    assert gc.get_freeze_count() == 0
    try:
        app.cfg.post_worker_init(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
