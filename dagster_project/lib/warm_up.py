"""A Dask worker plugin that warms a worker up as it joins the cluster.

Kept apart from :mod:`.parallel` because it imports ``distributed`` at import
time (a plugin class must be importable by name on the workers), and the
sensor and UI processes that import :mod:`.parallel` should not.
"""

from __future__ import annotations

import importlib
import logging
import threading

from distributed.diagnostics.plugin import WorkerPlugin

log = logging.getLogger(__name__)


def resolve(spec: str):
    """The function named ``"package.module:function"``."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


class WarmUp(WorkerPlugin):
    """Runs each ``"module:function"`` of ``specs`` on a background thread of every
    worker, when the worker joins (or when the plugin is registered): the NLP model
    loads while the worker runs the clean step's tasks, not inside the first
    extraction task. A function that raises is only logged: the task that needs
    what it loads raises the same error, for that task's articles."""

    # Registered again by every run that uses the cluster: a worker that has it keeps
    # it (and its loaded model) instead of setting it up once more.
    idempotent = True

    def __init__(self, specs: tuple[str, ...]) -> None:
        self.specs = specs

    def setup(self, worker) -> None:
        threading.Thread(target=self._run, name="warm-up", daemon=True).start()

    def _run(self) -> None:
        for spec in self.specs:
            try:
                resolve(spec)()
            except Exception:  # noqa: BLE001 - see the class docstring
                log.warning("warm-up %s failed", spec, exc_info=True)
