"""gunicorn settings read from the working directory (``scripts/run.sh`` starts there).

After a worker has loaded the portal, everything made at start-up (modules, schemas,
the OpenAPI document, compiled routes, prepared statements) lives as long as the
worker. Python's cyclic collector would still walk all of it in every full collection,
and such a collection then stops one request for many milliseconds: it shows as the
99th percentile of latency. ``gc.freeze()`` moves those objects out of the collector's
reach; objects made while serving requests are collected as before.

Metrics: every worker process writes its counters to files in one folder
(prometheus_client's multiprocess mode), and ``/metrics`` adds up the files, so a scrape
answers for the whole node, not for the one worker that took it. The folder is
``PROMETHEUS_MULTIPROC_DIR`` when set (the Huey worker of the same host may share it),
else a fresh private folder for this server, removed when it stops.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

_METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_METRICS_FILE = re.compile(r"^[a-z_]+_(\d+)\.db$")
_made_here: list[Path] = []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _forget_dead_processes(folder: Path) -> None:
    """Remove the files of processes that no longer run (a previous server's workers).

    A process still running (the Huey worker sharing the folder) keeps its counts.
    """
    for path in folder.glob("*.db"):
        match = _METRICS_FILE.match(path.name)
        if match and not _alive(int(match.group(1))):
            path.unlink(missing_ok=True)


def on_starting(server: Any) -> None:
    """Set up the metrics folder before any worker starts (they inherit the setting)."""
    configured = os.environ.get(_METRICS_ENV)
    if configured:
        folder = Path(configured)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _forget_dead_processes(folder)
        return
    if "prometheus_client" in sys.modules:
        # preload_app imported the portal before this hook: its metrics already count
        # per process. Setting the folder in the environment avoids that.
        logging.getLogger("gunicorn.error").warning(
            "the portal was loaded before %s was set: metrics count per worker; "
            "set %s in the environment when preloading",
            _METRICS_ENV,
            _METRICS_ENV,
        )
        return
    folder = Path(tempfile.mkdtemp(prefix="portal-metrics-"))
    _made_here.append(folder)
    os.environ[_METRICS_ENV] = str(folder)


def post_worker_init(worker: Any) -> None:
    """Freeze what the worker made while loading the application."""
    gc.collect()
    gc.freeze()


def child_exit(server: Any, worker: Any) -> None:
    """A worker ended: its live gauges go; its counters stay in the node's totals."""
    if os.environ.get(_METRICS_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    """Remove the metrics folder this server made for itself."""
    for folder in _made_here:
        shutil.rmtree(folder, ignore_errors=True)


# Each worker tells the master it is alive by changing a file's mode on every turn of
# its loop. On a disk-backed /tmp (a container's overlay) that call can stall the worker;
# gunicorn's documentation recommends a memory-backed folder.
# gunicorn makes its file there with mkstemp (unique name, mode 0600).
_SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHARED_MEMORY if os.path.isdir(_SHARED_MEMORY) else None

# No control socket (gunicorn 27): its default path is one per user, which several app
# nodes on one host would fight over, and nothing here uses it.
control_socket_disable = True
