"""Where one full rewrite clustering spends its wall time, CPU seconds and memory, per stage.

Runs ``assign_clusters`` once (a full clustering) on a copy of a corpus kept by
``scripts/bench_clusters.py --corpus-dir DIR`` and prints, for each stage of
``lib.dedup.clusters`` and for the writing steps of ``lib.dedup.step``: its wall
seconds, its CPU seconds (this process's threads and its worker processes), the
resident memory when it ended and its peak while it ran (this process's RSS plus its
worker processes' PSS, sampled every 0.1 s, as the benchmark measures it), and the
1-minute load average.

    .venv/bin/python scripts/bench_clusters.py --sizes 100000 --corpus-dir /tmp/corpus
    .venv/bin/python scripts/profile_clusters.py /tmp/corpus/corpus_100000.duckdb
"""

from __future__ import annotations

import argparse
import os
import pathlib
import resource
import shutil
import sys
import tempfile
import threading
import time

import duckdb

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_clusters import tree_rss_gb  # noqa: E402  (memory measured as the benchmark does)

from dagster_project.lib.dedup import assign_clusters, clusters, index, step  # noqa: E402


def _cpu() -> float:
    return sum(u.ru_utime + u.ru_stime for u in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


class _Stages:
    """Prints one line per stage: called when a stage ends."""

    def __init__(self) -> None:
        self.peak = tree_rss_gb()
        self.clock, self.cpu = time.perf_counter(), _cpu()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, tree_rss_gb())
            time.sleep(0.1)

    def mark(self, name: str) -> None:
        now, cpu, rss = time.perf_counter(), _cpu(), tree_rss_gb()
        print(f"{name:>18}: wall {now - self.clock:7.2f} s  cpu {cpu - self.cpu:7.2f} s"
              f"  rss at end {rss:5.2f} GB  peak {max(self.peak, rss):5.2f} GB"
              f"  load {os.getloadavg()[0]:.2f}", flush=True)
        self.peak = rss
        self.clock, self.cpu = time.perf_counter(), _cpu()


def _after(owner, name: str, stages: _Stages, label: str | None = None) -> None:
    """Mark a stage when ``owner.name`` returns (the function replaced in place)."""
    fn = getattr(owner, name)

    def wrapped(*args, **kwargs):
        out = fn(*args, **kwargs)
        stages.mark(label or name)
        return out

    setattr(owner, name, wrapped)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=pathlib.Path, help="a corpus_<n>.duckdb kept by bench_clusters")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "profile.duckdb"
        shutil.copy(args.corpus, path)
        con = duckdb.connect(str(path), config={"memory_limit": "1GB"})  # as the benchmark
        print(f"load at start {os.getloadavg()[0]:.2f}", flush=True)
        stages = _Stages()
        lap = clusters._Laps.lap

        def marked_lap(self, name):
            lap(self, name)
            stages.mark(name)

        clusters._Laps.lap = marked_lap
        _after(step, "inputs_fingerprint", stages)
        _after(step, "_full_tables", stages, "cluster tables")
        _after(index.IndexWriter, "finish", stages, "index finish")
        _after(step, "_write_clusters", stages, "write clusters")
        t0, c0 = time.perf_counter(), _cpu()
        stats = assign_clusters(con)
        print(f"total: wall {time.perf_counter() - t0:.1f} s, cpu {_cpu() - c0:.1f} s; "
              f"{stats['distinct_sentences']} sentences, {stats['band_pairs']} band pairs,"
              f" {stats['rewrite_pairs']} rewrite pairs, {stats['claim_clusters']} claim clusters",
              flush=True)
        con.close()


if __name__ == "__main__":
    main()
