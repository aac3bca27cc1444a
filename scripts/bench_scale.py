"""End-to-end scale benchmark: `make run` on a generated corpus, against a bare model pass.

    .venv/bin/python scripts/bench_scale.py                      # 1,000 articles
    .venv/bin/python scripts/bench_scale.py --sizes 1000,10000
    .venv/bin/python scripts/bench_scale.py --sizes 100000 --clustering-only

Per size, in a fresh temporary directory: generates the corpus
(``scripts/synth_corpus.py``, seeded), then runs the pipeline's command line
(``python -m dagster_project.cli run``, what `make run` runs) with RAW_DIR,
WAREHOUSE_DIR and DAGSTER_HOME pointing there, and prints:

- articles, characters of the raw files and of the cleaned bodies;
- the end-to-end wall time of the first run, and cleaned-body characters/s;
- the time of a bare ``nlp.pipe`` of the same spaCy model over the same cleaned
  bodies with as many processes as the pipeline has workers, and the ratio;
- the peak RSS of the whole process tree of the run (cluster workers included),
  sampled every 100 ms;
- the CPU seconds (user + system) of the run's whole process tree and of the bare
  pass, and their ratio: on a shared machine, wall times follow the load, CPU
  seconds much less;
- a second run with nothing new, and a run with one new article added.

``--clustering-only`` hands the sizes to ``scripts/bench_clusters.py`` (the
rewrite clustering alone on a synthetic landing schema).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import synth_corpus  # noqa: E402


class TreeRss:
    """Peak summed RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._t.join()
        return self.peak


def children_cpu() -> float:
    """CPU seconds (user + system) of every reaped descendant so far: the difference
    across one subprocess is that run's whole tree (cluster workers included), which,
    unlike wall time, other jobs on the machine barely change."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_pipeline(env: dict, log: Path) -> tuple[float, int, float]:
    """Wall seconds, peak tree RSS (bytes) and tree CPU seconds of one `make run`-equivalent."""
    t0, cpu0 = time.perf_counter(), children_cpu()
    with open(log, "a") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dagster_project.cli", "run"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        rss = TreeRss(proc.pid)
        code = proc.wait()
    wall = time.perf_counter() - t0
    peak = rss.stop()
    if code != 0:
        raise SystemExit(f"pipeline run failed (exit {code}); see {log}")
    return wall, peak, children_cpu() - cpu0


BARE = """
import resource, sys, time, duckdb
from dagster_project.lib.extract.nlp import get_nlp
con = duckdb.connect(sys.argv[1], read_only=True)
bodies = [b for (b,) in con.execute(
    "select body_text from marts.dim_articles where status = 'ok' order by article_id").fetchall()]
con.close()
nlp = get_nlp()
n = int(sys.argv[2])

def cpu():
    return sum(u.ru_utime + u.ru_stime for u in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))

t0, c0 = time.perf_counter(), cpu()
for _ in nlp.pipe(bodies, n_process=n, batch_size=16):
    pass
print(time.perf_counter() - t0, cpu() - c0, len(bodies), sum(map(len, bodies)))
"""


def bare_model_pass(published: Path, processes: int) -> tuple[float, float, int, int]:
    """Wall and CPU seconds of a bare nlp.pipe over the published cleaned bodies (model
    loaded first; the CPU includes the worker processes' own model load)."""
    out = subprocess.run([sys.executable, "-c", BARE, str(published), str(processes)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    secs, cpu, n, chars = out.stdout.split()
    return float(secs), float(cpu), int(n), int(chars)


def bench_size(n: int, seed: int, workers: int, keep: Path | None) -> dict:
    base = Path(keep or tempfile.mkdtemp(prefix=f"bench_scale_{n}_"))
    raw, wh, home = base / "raw", base / "warehouse", base / "dagster_home"
    shutil.rmtree(base, ignore_errors=True)
    t0 = time.perf_counter()
    raw_chars = synth_corpus.generate(raw, n, seed)
    gen_s = time.perf_counter() - t0
    env = {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_DIR": str(wh),
           "DAGSTER_HOME": str(home), "CLUSTER_WORKERS": str(workers)}
    home.mkdir(parents=True)
    # The instance settings `make run` uses (pool limit, no telemetry).
    shutil.copy(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    log = base / "runs.log"
    first, peak, first_cpu = run_pipeline(env, log)
    noop, _, _ = run_pipeline(env, log)
    synth_corpus.generate(raw, 1, seed + 1, start=n)  # one new article
    one_new, _, _ = run_pipeline(env, log)
    bare_s, bare_cpu, n_ok, body_chars = bare_model_pass(wh / "warehouse.duckdb", workers)
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return {
        "articles": n, "ok": n_ok, "raw_chars": raw_chars, "body_chars": body_chars,
        "gen_s": gen_s, "first_s": first, "chars_per_s": body_chars / first,
        "bare_s": bare_s, "ratio": first / bare_s, "peak_gb": peak / 2**30,
        "cpu_s": first_cpu, "bare_cpu_s": bare_cpu, "cpu_ratio": first_cpu / bare_cpu,
        "noop_s": noop, "one_new_s": one_new, "log": str(log) if keep else "",
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000", help="comma-separated article counts")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=0,
                    help="local cluster workers and bare-pass processes (0: one per core)")
    ap.add_argument("--keep", type=Path, help="keep the corpus and warehouse here (one size)")
    ap.add_argument("--clustering-only", action="store_true")
    args = ap.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    if args.clustering_only:
        return subprocess.call([sys.executable, str(ROOT / "scripts" / "bench_clusters.py"),
                                "--sizes", ",".join(map(str, sizes))], cwd=ROOT)
    from dagster_project.lib.parallel import local_workers

    workers = args.workers or local_workers()
    print(f"workers: {workers} (local cluster; bare pass with n_process={workers})")
    head = (f"{'articles':>9}{'raw chars':>12}{'body chars':>12}{'run s':>8}{'body ch/s':>10}"
            f"{'bare s':>8}{'ratio':>7}{'run cpu':>8}{'bare cpu':>9}{'cpu ratio':>10}"
            f"{'peak GB':>8}{'no-op s':>8}{'+1 new s':>9}")
    print(head, flush=True)
    for n in sizes:
        r = bench_size(n, args.seed, workers, args.keep)
        print(f"{r['articles']:>9}{r['raw_chars']:>12,}{r['body_chars']:>12,}"
              f"{r['first_s']:>8.1f}{r['chars_per_s']:>10,.0f}{r['bare_s']:>8.1f}"
              f"{r['ratio']:>7.2f}{r['cpu_s']:>8.0f}{r['bare_cpu_s']:>9.0f}{r['cpu_ratio']:>10.2f}"
              f"{r['peak_gb']:>8.2f}{r['noop_s']:>8.1f}{r['one_new_s']:>9.1f}",
              flush=True)
        if r["log"]:
            print(f"  run logs: {r['log']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
