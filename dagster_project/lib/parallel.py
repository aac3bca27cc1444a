"""Per-article work on Dask distributed: a local cluster by default, or an existing one.

The clean and extract steps hand :meth:`Engine.map` a pure function over one
article's input (bytes or text in, records out) and a lazy stream of inputs. The
function runs on the cluster's workers in chunks; results come back to the
calling process, which alone writes the warehouse (DuckDB's one-writer rule:
no worker opens it).

- No address: the first batch big enough starts a local cluster (one worker
  process per core, one thread each) that lives as long as the calling
  process, so the clean and extract stages of a run share it.
- ``CLUSTER_ADDRESS`` (through the ``cluster`` Dagster resource), e.g.
  ``tcp://10.0.0.5:8786``: the same work goes to that scheduler. Its workers
  need this package importable (installed, or on ``PYTHONPATH``) and the spaCy
  model installed.
- Fewer than ``min_batch`` inputs (one edited article) run in-process: a
  cluster's start-up and the model load on every worker would cost more than
  the work.

Heavy state such as the spaCy model is cached per worker process by the
function's own module (``lib.extract.nlp``), so it loads once per worker, not
per task. Chunks in flight are bounded, so memory does not grow with the batch.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K")

MIN_BATCH = 20  # below this, in-process
CHUNK = 8  # articles per task: amortises scheduling, keeps both workers busy to the end


@dataclass(frozen=True)
class TaskFailure:
    """What a worker (or the cluster) raised for one input, as text the caller can record."""

    reason: str


@dataclass(frozen=True)
class Batched:
    """A function over a whole chunk of payloads (a list in, one result per payload
    out, in order), for work that is cheaper done together: the extract step runs
    the NLP model once over a chunk's bodies. If it raises, the chunk's payloads
    are run again one at a time, so only the bad one fails."""

    many: Callable[[list], list]


def run_chunk(fn: Callable[[Any], Any] | Batched, payloads: list) -> list:
    """One task on a worker: ``fn`` over each payload (a :class:`Batched` ``fn`` over the
    whole chunk); an exception is that item's result."""
    if isinstance(fn, Batched):
        try:
            return fn.many(payloads)
        except Exception as exc:  # noqa: BLE001 - retried one by one below, to find the bad one
            if len(payloads) == 1:
                return [TaskFailure(f"{type(exc).__name__}: {exc}")]
            return [run_chunk(fn, [payload])[0] for payload in payloads]
    out = []
    for payload in payloads:
        try:
            out.append(fn(payload))
        except Exception as exc:  # noqa: BLE001 - one bad article must not sink its chunk
            out.append(TaskFailure(f"{type(exc).__name__}: {exc}"))
    return out


def local_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


@dataclass(frozen=True)
class Engine:
    """Where per-article work runs. ``address`` empty: a local cluster of ``workers``
    processes (0: one per core)."""

    address: str = ""
    workers: int = 0
    min_batch: int = MIN_BATCH
    chunk: int = CHUNK
    # "module:function"s every worker runs on a background thread when it joins
    # (:class:`.warm_up.WarmUp`), e.g. loading the NLP model during the clean step.
    warm_up: tuple[str, ...] = ()

    def uses_cluster(self, total: int) -> bool:
        return total >= self.min_batch and (bool(self.address) or self._n_workers() > 1)

    def _n_workers(self) -> int:
        return self.workers or local_workers()

    def map(
        self, fn: Callable[[Any], Any] | Batched, items: Iterable[tuple[K, Any]], total: int
    ) -> Iterator[tuple[K, Any]]:
        """``(key, fn(payload))`` for every ``(key, payload)`` of ``items``, in completion
        order (a :class:`Batched` ``fn`` gets ``chunk`` payloads at a time, in-process
        too). A raising ``fn`` yields a :class:`TaskFailure` for that key. ``items``
        is consumed lazily, in the calling thread; ``total`` may overstate it (a
        stream that filters as it goes): the cluster is used only once ``min_batch``
        items have really arrived."""
        items = iter(items)
        use_cluster = self.uses_cluster(total)
        head = list(itertools.islice(items, self.min_batch)) if use_cluster else []
        if not use_cluster or len(head) < self.min_batch:
            size = self.chunk if isinstance(fn, Batched) else 1
            for keys, payloads in _chunks(itertools.chain(head, items), size):
                yield from zip(keys, run_chunk(fn, payloads))
            return
        items = itertools.chain(head, items)
        client = _client(self)
        slots = max(1, sum(client.nthreads().values()))
        # Small batches in small chunks, so every worker gets a share.
        chunk = max(1, min(self.chunk, total // (2 * slots)))
        yield from _map_on_cluster(client, fn, items, chunk, in_flight=4 * slots)


def _chunks(items: Iterable[tuple[K, Any]], size: int) -> Iterator[tuple[list, list]]:
    keys: list = []
    payloads: list = []
    for key, payload in items:
        keys.append(key)
        payloads.append(payload)
        if len(keys) == size:
            yield keys, payloads
            keys, payloads = [], []
    if keys:
        yield keys, payloads


def _map_on_cluster(client, fn, items, chunk: int, in_flight: int):
    from distributed import as_completed

    chunks = _chunks(items, chunk)
    keys_of = {}
    done = as_completed()

    def submit_next() -> bool:
        nxt = next(chunks, None)
        if nxt is None:
            return False
        keys, payloads = nxt
        # pure=False: two identical chunks (duplicate files) are still two tasks.
        fut = client.submit(run_chunk, fn, payloads, pure=False)
        keys_of[fut.key] = keys
        done.add(fut)
        return True

    for _ in range(in_flight):
        if not submit_next():
            break
    for fut in done:
        keys = keys_of.pop(fut.key)
        try:
            results = fut.result()
        except Exception as exc:  # noqa: BLE001 - a lost worker fails its chunk, not the run
            results = [TaskFailure(f"cluster task failed: {type(exc).__name__}: {exc}")] * len(keys)
        fut.release()
        yield from zip(keys, results)
        submit_next()


_LOCK = threading.Lock()
_CLIENTS: dict[tuple, Any] = {}


def _client(engine: Engine):
    """The process's client for ``engine``: connected once, kept for the next stage.
    The engine's warm-up is registered with the cluster on every call: the plugin is
    idempotent, so the scheduler keeps the one it has (one round trip per stage)."""
    key = (engine.address, engine._n_workers())
    with _LOCK:
        client = _CLIENTS.get(key)
        if client is None or client.status != "running":
            client = _connect(engine)
            _CLIENTS[key] = client
        if engine.warm_up:
            from .warm_up import WarmUp

            client.register_plugin(WarmUp(engine.warm_up),
                                   name="warm-up:" + ",".join(engine.warm_up))
        return client


def _connect(engine: Engine):
    from distributed import Client, LocalCluster

    if engine.address:
        log.info("connecting to the cluster at %s", engine.address)
        return Client(engine.address, timeout="30s")
    n = engine._n_workers()
    log.info("starting a local cluster: %d worker processes", n)
    import dask

    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also turns
    # off glibc's adaptive mmap threshold: every model batch's arrays were
    # mapped and unmapped again, page by page. Unset, the workers' system time
    # fell from 20 s to 2.5 s each over 1,000 articles and the extract step
    # from 137.5 s to 123.8 s (the README's Scale section).
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.WARNING,
        )
    return Client(cluster)


@atexit.register
def shutdown() -> None:
    """Close the clients (and the local cluster this process started)."""
    with _LOCK:
        for client in _CLIENTS.values():
            cluster = client.cluster
            try:
                client.close()
                if cluster is not None:
                    cluster.close()
            except Exception:  # noqa: BLE001 - best effort at exit
                pass
        _CLIENTS.clear()
