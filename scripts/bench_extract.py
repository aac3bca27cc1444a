"""Speed of the extraction step over the sample bodies, against spaCy alone.

    .venv/bin/python scripts/bench_extract.py [--repeat 5]

Prints characters per second of ``extract_article`` (everything: sentences,
model pass, actors, figures, dates, events, claims) and of a bare
``nlp.pipe`` over the same bodies, and their ratio. Bodies come from the real
cleaner; the model is loaded (and warmed up) before timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project.lib.clean import clean_document  # noqa: E402
from dagster_project.lib.extract import extract_article  # noqa: E402
from dagster_project.lib.extract.nlp import get_nlp, model_name  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--raw-dir", default=str(ROOT / "raw"))
    args = ap.parse_args()
    arts = []
    for p in sorted(Path(args.raw_dir).glob("*.txt")):
        c = clean_document(p.read_text(encoding="utf-8"), "text")
        arts.append(c)
    bodies = [c.body_text for c in arts]
    chars = sum(len(b) for b in bodies)
    nlp = get_nlp()
    list(nlp.pipe(bodies))  # warm-up
    for c in arts:
        extract_article(
            c.body_text, published_date=c.published_date, truncated_from=c.truncated_from
        )

    def run_model():
        for _ in nlp.pipe(bodies):
            pass

    def run_extract():
        for c in arts:
            extract_article(
                c.body_text, published_date=c.published_date, truncated_from=c.truncated_from
            )

    res = {}
    for name, fn in (("spacy nlp.pipe", run_model), ("extract_article", run_extract)):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        res[name] = statistics.median(times)
    print(
        f"model {model_name()}; {len(bodies)} bodies, {chars} chars; median of {args.repeat} runs"
    )
    for name, t in res.items():
        print(f"  {name:16s} {t * 1000:8.1f} ms  {chars / t:10.0f} chars/s")
    ratio = res["extract_article"] / res["spacy nlp.pipe"]
    print(
        f"  extraction / bare model time ratio: {ratio:.2f}  "
        f"(non-model work: {(res['extract_article'] - res['spacy nlp.pipe']) * 1000:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
