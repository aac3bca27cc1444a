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
