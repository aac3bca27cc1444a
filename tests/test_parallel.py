"""The engine glue: in-process below the batch threshold, a real local Dask cluster above."""

from __future__ import annotations

import os
import sys
import types

from dagster_project.lib import parallel


def square_or_raise(x: int) -> tuple[int, int]:
    if x == 13:
        raise ValueError("unlucky")
    return x * x, os.getpid()


def worker_malloc_settings(_: int) -> tuple[str | None, str | None]:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")


def squares_of_chunk(xs: list[int]) -> list[tuple[int, int]]:
    if 13 in xs:
        raise ValueError("unlucky")
    return [(x * x, len(xs)) for x in xs]


def test_a_batched_function_gets_whole_chunks_and_a_failure_stays_with_its_item():
    engine = parallel.Engine(workers=2, min_batch=20, chunk=4)
    work = parallel.Batched(squares_of_chunk)
    out = dict(engine.map(work, ((i, i) for i in range(15)), 15))
    failure = out.pop(13)
    assert isinstance(failure, parallel.TaskFailure) and "unlucky" in failure.reason
    assert {k: v[0] for k, v in out.items()} == {i: i * i for i in out}
    # Chunks of 4 go in whole; the chunk holding 13 raises, so its other items are
    # run again one at a time.
    assert {k: v[1] for k, v in out.items()} == {**{i: 4 for i in range(12)}, 12: 1, 14: 1}


def test_small_batch_runs_in_process():
    engine = parallel.Engine(workers=2, min_batch=20)
    out = dict(engine.map(square_or_raise, ((i, i) for i in range(5)), 5))
    assert {k: v[0] for k, v in out.items()} == {i: i * i for i in range(5)}
    assert {v[1] for v in out.values()} == {os.getpid()}


def test_big_batch_runs_on_a_local_cluster_and_a_failure_stays_with_its_item(monkeypatch):
    # Spawned workers re-run the parent's __main__ file; other tests in the session
    # (streamlit's AppTest) leave a script there. The CLI runs as a module (-m), so
    # a bare __main__ is what the pipeline's own runs have.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    engine = parallel.Engine(workers=2, min_batch=20)
    try:
        out = dict(engine.map(square_or_raise, ((i, i) for i in range(40)), 40))
        settings = set(dict(engine.map(worker_malloc_settings, ((i, i) for i in range(40)), 40))
                       .values())
    finally:
        parallel.shutdown()
    assert set(out) == set(range(40))
    failure = out.pop(13)
    assert isinstance(failure, parallel.TaskFailure) and "unlucky" in failure.reason
    assert {k: v[0] for k, v in out.items()} == {i: i * i for i in out}
    pids = {v[1] for v in out.values()}
    assert os.getpid() not in pids and len(pids) == 2  # both worker processes did work
    # Dask's MALLOC_TRIM_THRESHOLD_ (which turns off glibc's adaptive mmap threshold and
    # made the NLP workers map and unmap every batch's arrays) is not set; Dask's other
    # worker settings (one BLAS thread) are kept.
    assert settings == {(None, "1")}


WARMED_BY: str | None = None  # set on a worker by mark_warm: the name of its thread


def mark_warm() -> None:
    import threading

    global WARMED_BY
    WARMED_BY = threading.current_thread().name


def warm_state(_: int) -> tuple[int, bool]:
    """This worker's pid, and whether its warm-up ran on another thread than this task."""
    import threading
    import time

    deadline = time.monotonic() + 30
    while WARMED_BY is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return os.getpid(), WARMED_BY is not None and WARMED_BY != threading.current_thread().name


def test_every_worker_runs_the_engines_warm_up_on_its_own_thread(monkeypatch):
    """The model loads on each worker while it runs other tasks (the clean step's),
    not in the first extraction task: the engine's warm-up functions run on a
    background thread of every worker of the cluster it starts."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    engine = parallel.Engine(workers=2, min_batch=4, chunk=1,
                             warm_up=("tests.test_parallel:mark_warm",))
    try:
        out = dict(engine.map(warm_state, ((i, i) for i in range(12)), 12))
    finally:
        parallel.shutdown()
    assert len({pid for pid, _ in out.values()}) == 2
    assert all(warmed for _, warmed in out.values())
