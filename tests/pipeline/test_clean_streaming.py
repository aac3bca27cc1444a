"""The clean step streams its pending files: the bytes held at once do not grow with
the batch (lib.clean.step + lib.parallel, real DuckDB file, real local Dask cluster)."""

import sys
import types

import duckdb
import pytest

from dagster_project.lib import parallel
from dagster_project.lib.clean import step as clean_step
from dagster_project.lib.clean.step import clean_pending
from dagster_project.lib.ingest.inventory import sync_inventory
from tests.conftest import SAMPLES_DIR

N_FILES = 40
BLOCK = 4  # files read and recorded together (the step's READ_BLOCK, small here)


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "work.duckdb"))
    yield c
    c.close()


def _many_files(raw):
    raw.mkdir()
    samples = sorted(p for p in SAMPLES_DIR.iterdir() if p.is_file())
    for i in range(N_FILES):
        src = samples[i % len(samples)]
        # distinct bytes: a byte-identical copy would count once
        (raw / f"{i:03d}_{src.name}").write_bytes(src.read_bytes() + f"\n\nNote {i}.\n".encode())
    return raw


def _count_reads_ahead(monkeypatch):
    """Largest number of files read but not yet landed, seen at each landing."""
    monkeypatch.setattr(clean_step, "READ_BLOCK", BLOCK)
    reads, ahead = [], []
    real_read = clean_step.read_file
    real_land = clean_step._land

    def counting_read(path):
        reads.append(path.name)
        return real_read(path)

    def counting_land(con, source_path, *args, **kwargs):
        ahead.append(len(reads) - len(ahead))
        return real_land(con, source_path, *args, **kwargs)

    monkeypatch.setattr(clean_step, "read_file", counting_read)
    monkeypatch.setattr(clean_step, "_land", counting_land)
    return reads, ahead


def test_in_process_holds_one_block_at_a_time(tmp_path, con, monkeypatch):
    raw = _many_files(tmp_path / "raw")
    reads, ahead = _count_reads_ahead(monkeypatch)
    sync_inventory(con, raw)
    stats = clean_pending(con, raw, engine=parallel.Engine(workers=1))
    assert stats.processed == N_FILES and len(reads) == N_FILES
    assert max(ahead) == BLOCK  # a block read and recorded, cleaned, landed; then the next


def test_on_a_cluster_the_files_in_flight_are_bounded_and_each_read_once(
    tmp_path, con, monkeypatch
):
    # Spawned workers re-run the parent's __main__ file (see tests/test_parallel.py).
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    raw = _many_files(tmp_path / "raw")
    reads, ahead = _count_reads_ahead(monkeypatch)
    sync_inventory(con, raw)
    engine = parallel.Engine(workers=2, min_batch=4, chunk=1)
    try:
        stats = clean_pending(con, raw, engine=engine)
    finally:
        parallel.shutdown()
    assert stats.processed == N_FILES
    assert sorted(reads) == sorted(p.name for p in raw.iterdir())  # each file read once
    # the peeked batch, one block read ahead, four one-file chunks per worker: not
    # the whole batch
    assert max(ahead) <= 4 + BLOCK + 4 * 2 < N_FILES


def test_a_touched_batch_starts_no_cluster(tmp_path, con, monkeypatch):
    raw = _many_files(tmp_path / "raw")
    sync_inventory(con, raw)
    clean_pending(con, raw, engine=parallel.Engine(workers=1))
    import os

    for p in raw.iterdir():  # same bytes, new mtime: read again, nothing to clean
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    sync_inventory(con, raw)

    def no_cluster(engine):
        raise AssertionError("a cluster was started for a batch with nothing to clean")

    monkeypatch.setattr(parallel, "_client", no_cluster)
    stats = clean_pending(con, raw, engine=parallel.Engine(workers=2, min_batch=4))
    assert stats.processed == 0 and stats.skipped == N_FILES
