"""Dask distributed against Ray on this pipeline's per-article work (clean + extract).

    .venv/bin/python scripts/bench_engines.py [--articles 300] [--workers 2] [--engines inproc,dask,ray]

Each engine runs in its own child process (so memory figures do not mix) over the
same articles: the samples in raw/ made distinct by renumbering their figures.
Prints, per engine: start-up (cluster up, client connected), time to the first
result (includes the spaCy model load on the workers), throughput in articles/s
and characters/s over the whole batch, and the peak RSS of the child's whole
process tree (workers, nanny/raylet and friends included), sampled every 50 ms.
Ray is optional: run the script with a Python that has it installed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_scale import TreeRss  # noqa: E402  (peak RSS of a process tree)


def corpus(n: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw").glob("*.txt"))]
    out = []
    for i in range(n):
        base = texts[i % len(texts)]
        # Renumber figures so no two articles are the same text.
        out.append(re.sub(r"\d+", lambda m, i=i: str(int(m.group()) + i), base))
    return out


def work(text: str) -> int:
    """Clean then extract one dump; returns the number of claims (small result)."""
    from dagster_project.lib.clean import clean_document
    from dagster_project.lib.extract import extract_article

    art = clean_document(text, "text")
    ex = extract_article(art.body_text, published_date=art.published_date,
                         truncated_from=art.truncated_from)
    return len(ex.claims)


def work_chunk(texts: list[str]) -> list[int]:
    return [work(t) for t in texts]


def child(engine: str, n: int, workers: int, chunk: int) -> dict:
    texts = corpus(n)
    chars = sum(map(len, texts))
    chunks = [texts[i:i + chunk] for i in range(0, n, chunk)]
    rss = TreeRss(os.getpid())
    t0 = time.perf_counter()
    if engine == "inproc":
        start = time.perf_counter()
        first = None
        for c in chunks:
            work_chunk(c)
            first = first or time.perf_counter()
        end = time.perf_counter()
    elif engine == "dask":
        from distributed import Client, LocalCluster, as_completed

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        start = time.perf_counter()
        futs = [client.submit(work_chunk, c, pure=False) for c in chunks]
        first = None
        for f in as_completed(futs):
            f.result()
            first = first or time.perf_counter()
        end = time.perf_counter()
        client.close()
        cluster.close()
    elif engine == "ray":
        import ray

        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        remote = ray.remote(work_chunk)
        start = time.perf_counter()
        refs = [remote.remote(c) for c in chunks]
        first = None
        pending = refs
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            ray.get(ready)
            first = first or time.perf_counter()
        end = time.perf_counter()
        ray.shutdown()
    else:
        raise SystemExit(f"unknown engine {engine}")
    peak = rss.stop()
    return {
        "engine": engine, "articles": n, "chars": chars,
        "startup_s": round(start - t0, 2),
        "first_result_s": round(first - start, 2),
        "batch_s": round(end - start, 2),
        "articles_per_s": round(n / (end - start), 1),
        "chars_per_s": round(chars / (end - start)),
        "peak_rss_mb": round(peak / 2**20),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=8)
    ap.add_argument("--engines", default="inproc,dask,ray")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.articles, args.workers, args.chunk)))
        return 0
    print(f"{'engine':<8}{'start s':>9}{'1st res s':>10}{'batch s':>9}{'art/s':>8}"
          f"{'chars/s':>10}{'peak RSS MB':>13}")
    for engine in args.engines.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", engine, "--articles", str(args.articles),
             "--workers", str(args.workers), "--chunk", str(args.chunk)],
            capture_output=True, text=True, cwd=ROOT,
        )
        if proc.returncode != 0:
            print(f"{engine:<8} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{engine:<8}{r['startup_s']:>9}{r['first_result_s']:>10}{r['batch_s']:>9}"
              f"{r['articles_per_s']:>8}{r['chars_per_s']:>10}{r['peak_rss_mb']:>13}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
