"""Benchmark the real command line on a large warehouse: a run with nothing new, one new
article, one edited article, with the time of every stage.

    .venv/bin/python scripts/bench_cli.py                      # 10,000 articles
    .venv/bin/python scripts/bench_cli.py --articles 2000
    .venv/bin/python scripts/bench_cli.py --dir /tmp/cli10k    # keep it; reuse it next time

Building a 10,000-article warehouse through the NLP takes half an hour, so the
landing data comes from ``scripts/bench_dbt.py`` (10,000 articles of generated
extracted rows), and this script writes what the pipeline would
have read them from: one page dump per live article under RAW_DIR (its body),
a binary file per quarantined one, nothing for a removed one, and the
bookkeeping the clean and extract steps compare (``raw.files`` size, mtime,
content hash and cleaned key, ``raw.articles`` body and extracted keys, with
the current code versions). The real CLI (``python -m dagster_project.cli run``
with RAW_DIR, WAREHOUSE_DIR and DAGSTER_HOME set) then sees every file as
already processed. Its first run ("settle") computes what the landing script
does not pretend to have: the rewrite clustering, the cross-article actor
names, the first dbt build and publish. Then, timed:

- **no-op**: nothing changed;
- **+1 new**: one new page dump (``scripts/synth_corpus.py``), cleaned and
  extracted in-process (model load included);
- **1 edited**: one of the existing files rewritten with another page dump;
- **no-op** again.

Those generated rows are lighter than what the pipeline extracts from the
synthetic corpus (measured 2026-12-01: 29k figure mentions, 29k event mentions
and 4.6k event-actor rows here, against 212k, 180k and 274k in a 10k warehouse
built by the pipeline itself), so the dbt step and the clustering here take
less than on a real warehouse of the same size: one new article took 12.5-16.6 s
here and 28-38 s there (README, Scale).

Each run's breakdown comes from the Dagster instance's event log (step start
and end of every step of the run): Python and Dagster start-up (process start
to the run's start), every stage, and what comes after the last step (the run's
end and the CLI's summary). Nothing is timed inside the pipeline for this.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_dbt  # noqa: E402
import synth_corpus  # noqa: E402

from dagster_project.lib.clean.step import body_key, clean_code_version  # noqa: E402
from dagster_project.lib.warehouse import extract_code_version  # noqa: E402

# Steps of refresh_job by stage, in the order the breakdown prints them
# (a step key is the op name Dagster gives each asset or multi-asset).
STAGES = (
    ("inventory", ("raw__files",)),
    ("clean", ("cleaned_articles",)),
    ("extract", ("extractions",)),
    ("actor_names", ("raw__actor_names", "actor_names")),
    ("clustering", ("clusters",)),
    ("dbt", ("dbt_models",)),
    ("publish", ("warehouse__published", "published_warehouse")),
)


def land(base: Path, n: int) -> None:
    """A working database of ``n`` articles' landing rows and the raw files they stand for."""
    raw, work = base / "raw", base / "warehouse" / ".work" / "pipeline.duckdb"
    work.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(work))
    bench_dbt.fill(con, n)
    rows = con.execute(
        "select f.source_path, f.status, a.body_text, a.published_date, a.truncated_from"
        " from raw.files f left join raw.articles a using (article_id)"
        " where f.status <> 'removed' order by 1"
    ).fetchall()
    clean_v, extract_v = clean_code_version(), extract_code_version()
    paths, sizes, mtimes, hashes, keys, body_keys = [], [], [], [], [], []
    for source_path, status, body, published, truncated in rows:
        path = raw / source_path
        path.parent.mkdir(parents=True, exist_ok=True)
        # A quarantined file holds what got it quarantined (bench_dbt: binary content).
        data = b"\x00\x01binary" if status == "quarantined" else body.encode("utf-8")
        path.write_bytes(data)
        st = path.stat()
        digest = hashlib.sha256(data).hexdigest()
        paths.append(source_path)
        sizes.append(st.st_size)
        mtimes.append(st.st_mtime_ns)
        hashes.append(digest)
        keys.append(f"{digest}:{clean_v}" if status == "ok" else None)
        body_keys.append(body_key(body, published, truncated) if body is not None else None)
    con.execute(
        "create temp table disk as select unnest(?::varchar[]) as source_path,"
        " unnest(?::bigint[]) as size_bytes, unnest(?::bigint[]) as mtime_ns,"
        " unnest(?::varchar[]) as content_hash, unnest(?::varchar[]) as cleaned_key,"
        " unnest(?::varchar[]) as body_key",
        [paths, sizes, mtimes, hashes, keys, body_keys],
    )
    con.execute(
        "update raw.files f set size_bytes = d.size_bytes, mtime_ns = d.mtime_ns,"
        " content_hash = d.content_hash, cleaned_key = d.cleaned_key, needs_check = false"
        " from disk d where d.source_path = f.source_path"
    )
    con.execute(
        "update raw.articles a set content_hash = d.content_hash, body_key = d.body_key,"
        " extracted_key = ? || ':' || d.body_key from disk d where d.source_path = a.source_path",
        [extract_v],
    )
    con.close()


def children_cpu() -> float:
    """CPU seconds of every reaped child so far (the CLI, dbt included): on a
    shared machine wall time follows the other jobs' load, CPU seconds much less."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(env: dict, log: Path) -> tuple[float, str, float]:
    """Wall seconds of one `make run`-equivalent, its run id and its start (epoch)."""
    t0 = time.time()
    with open(log, "a") as out:
        out.write(f"\n=== run at {dt.datetime.now():%H:%M:%S}\n")
        out.flush()
        proc = subprocess.run([sys.executable, "-m", "dagster_project.cli", "run"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        out.write(proc.stdout)
    wall = time.time() - t0
    if proc.returncode != 0:
        print(proc.stdout[-4000:])
        raise SystemExit(f"pipeline run failed (exit {proc.returncode}); see {log}")
    # None when the CLI found nothing to do and started no run.
    run_id = next((line.split()[1] for line in proc.stdout.splitlines()
                   if line.startswith("run ") and line.endswith(" succeeded")), None)
    return wall, run_id, t0


def breakdown(home: Path, run_id: str | None, started: float, wall: float) -> dict[str, float]:
    """Seconds per stage of one run, from the instance's event log (nothing when the CLI
    started no run: it found nothing new)."""
    import dagster as dg

    if run_id is None:
        return {}

    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        records = instance.all_logs(run_id)
    first = min(r.timestamp for r in records)
    last = max(r.timestamp for r in records)
    spans: dict[str, list[float]] = {}
    for r in records:
        if r.step_key and r.dagster_event and r.dagster_event.event_type_value in (
                "STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            spans.setdefault(r.step_key, []).append(r.timestamp)
    out = {"start-up": first - started}
    named = set()
    for stage, keys in STAGES:
        secs = 0.0
        for key in keys:
            if key in spans:
                secs += max(spans[key]) - min(spans[key])
                named.add(key)
        out[stage] = secs
    # The dbt command itself (from the dbt step's "Running/Finished dbt command" log
    # lines; dbt runs inside the step's process), inside the dbt step.
    marks = {m.split()[0]: r.timestamp for r in records
             if r.step_key == "dbt_models" and (m := r.user_message or "").endswith(
                 ".") and " dbt command: " in m}
    out["dbt command"] = (marks["Finished"] - marks["Running"]
                          if {"Running", "Finished"} <= marks.keys() else 0.0)
    out["other steps"] = sum(max(v) - min(v) for k, v in spans.items() if k not in named)
    out["between steps"] = (last - first) - sum(
        v for k, v in out.items() if k not in ("start-up", "dbt command"))
    out["exit"] = started + wall - last
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, help="keep the corpus here and reuse it if it exists")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix=f"bench_cli_{args.articles}_"))
    raw, wh, home = base / "raw", base / "warehouse", base / "dagster_home"
    env = {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_DIR": str(wh), "DAGSTER_HOME": str(home)}
    log = base / "runs.log"
    results: list[tuple[str, float, dict]] = []
    if not (wh / ".work" / "pipeline.duckdb").exists():
        t0 = time.perf_counter()
        land(base, args.articles)
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
        print(f"landed {args.articles:,} articles and their files in "
              f"{time.perf_counter() - t0:.1f}s ({base})", flush=True)
        cpu0 = children_cpu()
        wall, run_id, started = run_cli(env, log)
        results.append(("settle", wall, breakdown(home, run_id, started, wall)
                        | {"cpu": children_cpu() - cpu0}))
        print(f"settle run (clustering, actor names, first dbt build, publish): {wall:.1f}s",
              flush=True)

    def timed(label: str) -> None:
        cpu0 = children_cpu()
        wall, run_id, started = run_cli(env, log)
        cpu = children_cpu() - cpu0
        results.append((label, wall, breakdown(home, run_id, started, wall) | {"cpu": cpu}))
        print(f"{label}: {wall:.1f}s ({cpu:.1f} CPU s)", flush=True)

    timed("no-op")
    stamp = f"{time.time_ns()}"
    new_dir = raw / "new" / stamp
    # Another seed on each call with a kept --dir: a new article, not a copy of the last one.
    earlier = len(list((raw / "new").glob("*"))) if (raw / "new").is_dir() else 0
    synth_corpus.generate(new_dir, 1, args.seed + 1 + earlier, start=args.articles)
    timed("+1 new")
    target = sorted((raw / "new" / stamp).rglob("*.txt"))[0]
    edited = next(p for p in sorted(raw.glob("synthetic/*.txt")) if p.stat().st_size > 100)
    edited.write_bytes(target.read_bytes() + b"\nAn editor added this closing line.\n")
    timed("1 edited")
    timed("no-op")

    load = os.getloadavg()
    print(f"\n{args.articles:,} articles; load average at the end {load[0]:.1f} "
          f"{load[1]:.1f} {load[2]:.1f} (2 cores); seconds:")
    cols = ["cpu", "start-up", *(s for s, _ in STAGES), "dbt command", "other steps", "between steps",
            "exit"]
    print("(cpu: CPU seconds of the CLI (dbt runs inside it); dbt command: the dbt build\n"
          " within the dbt step; between steps: recording the run\n"
          " and its planned events, and Dagster's work between steps; exit: after the last event)")
    print(f"{'run':<10}{'wall':>7}" + "".join(f"{c:>13}" for c in cols))
    for label, wall, parts in results:
        if "start-up" not in parts:
            print(f"{label:<10}{wall:>7.1f}{parts['cpu']:>13.1f}"
                  "   (nothing new: the CLI started no Dagster run)")
            continue
        print(f"{label:<10}{wall:>7.1f}" + "".join(f"{parts.get(c, 0):>13.1f}" for c in cols))
    print(f"logs: {log}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
