"""The gunicorn settings in the working directory: what a worker does after start-up."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
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


def _loaded_config():
    app = _Loaded.__new__(_Loaded)
    app.usage, app.prog, app.callable = None, None, None
    app.load_default_config()
    app.load_config_from_file(str(CONFIG))
    return app.cfg


def test_the_metrics_folder_is_made_for_the_server_and_removed_after(monkeypatch) -> None:
    # Set, then removed: monkeypatch then restores the variable's state before the test
    # (unset) also after the hook set it directly, as gunicorn's master does.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    # The test process has imported prometheus_client already; a real server has not.
    monkeypatch.delitem(sys.modules, "prometheus_client")
    cfg = _loaded_config()
    cfg.on_starting(None)
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    try:
        assert folder.is_dir()
        assert folder.stat().st_mode & 0o777 == 0o700
    finally:
        cfg.on_exit(None)
    assert not folder.exists()


def test_a_configured_folder_loses_only_files_of_ended_processes(monkeypatch, tmp_path) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(ended.stdout)
    for name in (f"counter_{dead_pid}.db", f"histogram_{os.getpid()}.db", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    _loaded_config().on_starting(None)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"histogram_{os.getpid()}.db",
        "notes.txt",
    ]
