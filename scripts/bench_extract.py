"""Speed of the extraction step over the sample bodies, against spaCy alone.

    .venv/bin/python scripts/bench_extract.py [--repeat 5] [--raw-dir raw]

Times what the pipeline really runs: the extract step hands a worker a chunk of
at most ``parallel.CHUNK`` bodies, and the worker runs
``parallel.run_chunk(Batched(step.extract_bodies), chunk)`` — one ``nlp.pipe``
over the chunk, then everything else per article (sentences, actors, figures,
dates, events, claims). Here the bodies are cut into the same chunks and each
chunk is run that way, in this one process. The baseline is a bare
``nlp.pipe`` of the same model over the same (truncated) bodies in the same
process: the ratio is what the extraction costs on top of the model pass.

Bodies come from the real cleaner; the model is loaded and both sides warmed up
before timing. The two sides alternate run by run, so a change of the machine's
load hits both alike; the medians of wall time and of this process's CPU time
are printed, with each run's ratio and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project.lib import parallel  # noqa: E402
from dagster_project.lib.clean import clean_document  # noqa: E402
from dagster_project.lib.extract.nlp import get_nlp, model_name  # noqa: E402
from dagster_project.lib.extract.step import extract_bodies  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--raw-dir", default=str(ROOT / "raw"))
    args = ap.parse_args()
    payloads = []
    for p in sorted(Path(args.raw_dir).glob("*.txt")):
        c = clean_document(p.read_text(encoding="utf-8"), "text")
        payloads.append((c.body_text, c.published_date, c.truncated_from))
    texts = [b[: t if t is not None else len(b)] for b, _, t in payloads]
    chars = sum(len(t) for t in texts)
    chunks = [payloads[i : i + parallel.CHUNK] for i in range(0, len(payloads), parallel.CHUNK)]
    work = parallel.Batched(extract_bodies)
    nlp = get_nlp()

    def run_model():
        for _ in nlp.pipe(texts):
            pass

    def run_extract():
        for chunk in chunks:
            for out in parallel.run_chunk(work, chunk):
                if isinstance(out, parallel.TaskFailure):
                    raise RuntimeError(out.reason)

    run_model()  # warm-up
    run_extract()
    load_before = _load()
    wall: dict[str, list[float]] = {"model": [], "extract": []}
    cpu: dict[str, list[float]] = {"model": [], "extract": []}
    for _ in range(args.repeat):
        for name, fn in (("model", run_model), ("extract", run_extract)):
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(time.perf_counter() - w0)
            cpu[name].append(time.process_time() - c0)
    print(
        f"model {model_name()}; {len(payloads)} bodies in {len(chunks)} chunk(s), {chars} chars; "
        f"median of {args.repeat} alternating runs; load average {load_before} -> {_load()}"
    )
    for label, times in (("wall", wall), ("cpu", cpu)):
        m, x = statistics.median(times["model"]), statistics.median(times["extract"])
        print(f"  {label}: bare nlp.pipe {m * 1000:8.1f} ms ({chars / m:6.0f} chars/s), "
              f"extraction step {x * 1000:8.1f} ms ({chars / x:6.0f} chars/s)")
        runs = " ".join(f"{b / a:.2f}" for a, b in zip(times["model"], times["extract"]))
        print(f"  {label}: extraction / bare model ratio {x / m:.2f} "
              f"(non-model work {(x - m) * 1000:.1f} ms; run by run: {runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
