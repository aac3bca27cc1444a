"""Benchmark rewrite/claim clustering (lib.dedup.assign_clusters) on a synthetic corpus.

Builds a realistic corpus per size (default 10,000 and 100,000 articles of
about 40 sentences each), loads it into raw.articles / raw.claims of a fresh
DuckDB file (lib.warehouse.ensure_schema, parameterised inserts only), times
``assign_clusters`` and prints the time per size, the growth ratio, and the
pairwise precision/recall of the rewrite clusters against the planted truth.

The corpus is made to be hard rather than easy:
- a shared vocabulary with a Zipf distribution and a few hundred overlapping
  topics, so independent articles share many words;
- names, years and figures drawn from small pools, so numbers are reused;
- a pool of stock facts that independent articles restate in their own words
  (the same claim from independent sources, which must not make them rewrites);
- 20% of the articles in planted rewrite clusters of 2-4: sentence-by-sentence
  paraphrases (synonyms, dropped/added function words, clauses swapped,
  sentences dropped and added) and near-copies (most sentences verbatim, a few
  edited, an extra paragraph).

    .venv/bin/python scripts/bench_clusters.py                  # 10k and 100k
    .venv/bin/python scripts/bench_clusters.py --sizes 2000     # quick check
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import os
import pathlib
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter

import duckdb
import psutil

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project.lib import warehouse  # noqa: E402
from dagster_project.lib.dedup import assign_clusters, index  # noqa: E402

SENTENCES_PER_ARTICLE = 40
CLUSTERED_SHARE = 0.20
FUNCTION_WORDS = (
    "the of and in to with has had was is for on at by from that which as its their "
    "after before since while over under about into than this these those"
).split()
SYLLABLES = (
    "ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko ku la le li lo lu "
    "ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti "
    "to tu va ve vi vo za ze zo tra pre stra con ver ment tion ist"
).split()
FUNCTION_SET = frozenset(FUNCTION_WORDS)
MONTHS = (
    "January February March April May June July August September October November December".split()
)


class Vocabulary:
    """Pseudo-words with synonyms, names, figures; deterministic per seed."""

    def __init__(self, rng: random.Random, n_words: int = 8000, n_topics: int = 300):
        words: set[str] = set()
        while len(words) < 2 * n_words:
            words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
        words_l = sorted(words)
        rng.shuffle(words_l)
        self.words = words_l[:n_words]
        # one synonym per word
        self.synonyms = dict(zip(words_l[:n_words], words_l[n_words:], strict=True))
        self.cum_zipf = list(itertools.accumulate(1 / r for r in range(1, n_words + 1)))
        self.topics = [rng.sample(self.words, 40) for _ in range(n_topics)]
        self.names = ["".join(rng.choices(SYLLABLES, k=3)).capitalize() for _ in range(400)]
        self.figures = [
            f"{rng.choice([40, 120, 350, 1700, 2500, 6000, 12000, 40000]) * rng.randint(1, 8):,}"
            for _ in range(300)
        ] + [f"${x} billion" for x in (1.5, 3.5, 5, 12, 40, 60, 100)]
        self.years = [str(y) for y in range(2010, 2025)]


def make_sentence(v: Vocabulary, rng: random.Random, topic: list[str]) -> list[str]:
    n = rng.randint(12, 25)
    glob = rng.choices(v.words, cum_weights=v.cum_zipf, k=n)
    fws = rng.choices(FUNCTION_WORDS, k=n)
    toks = []
    for k in range(n):
        if k % 2 == 0:
            toks.append(fws[k])
        toks.append(rng.choice(topic) if rng.random() < 0.45 else glob[k])
    if rng.random() < 0.5:
        toks.insert(rng.randrange(len(toks)), rng.choice(v.names))
    if rng.random() < 0.35:
        toks.insert(rng.randrange(len(toks)), rng.choice(v.figures))
    if rng.random() < 0.3:
        toks += ["in", rng.choice(MONTHS), rng.choice(v.years)]
    if rng.random() < 0.2:
        toks.insert(0, rng.choice(v.names))
    return toks


def paraphrase(v: Vocabulary, rng: random.Random, toks: list[str], strength: float) -> list[str]:
    """Synonyms for some content words, function words dropped/added, clauses swapped."""
    out = []
    syn = v.synonyms
    for t in toks:
        r = rng.random()
        if t in syn and r < strength:
            out.append(syn[t])
        elif r < 0.3 and t in FUNCTION_SET:
            continue
        else:
            out.append(t)
        if r > 0.9:
            out.append(rng.choice(FUNCTION_WORDS))
    if len(out) > 8 and rng.random() < 0.5:
        cut = rng.randint(3, len(out) - 4)
        out = out[cut:] + ["and"] + out[:cut]
    return out


def render(toks: list[str]) -> str:
    s = " ".join(toks)
    return s[0].upper() + s[1:] + "."


def build_corpus(n: int, seed: int = 7):
    """Yields (article_id, sentences, truth_group) with planted rewrite clusters."""
    rng = random.Random(seed)
    v = Vocabulary(rng)
    n_facts = max(200, n // 5)
    facts = [make_sentence(v, rng, rng.choice(v.topics)) for _ in range(n_facts)]
    produced = 0
    group = 0
    while produced < n:
        topic = rng.choice(v.topics)
        n_sent = rng.randint(30, 50)
        base = [make_sentence(v, rng, topic) for _ in range(n_sent)]
        # independent articles restate a few stock facts in their own words
        for _ in range(3):
            fact = rng.choice(facts)
            base[rng.randrange(n_sent)] = (
                paraphrase(v, rng, fact, 0.3) if rng.random() < 0.7 else list(fact)
            )
        members = [base]
        if rng.random() < CLUSTERED_SHARE / (3 - 2 * CLUSTERED_SHARE):  # clusters of 3 on average
            for _ in range(rng.randint(2, 4) - 1):
                if rng.random() < 0.6:  # sentence-by-sentence paraphrase
                    derived = [
                        paraphrase(v, rng, s, rng.uniform(0.3, 0.6))
                        for s in base
                        if rng.random() > 0.1
                    ]
                    for _ in range(rng.randint(0, 4)):
                        derived.insert(rng.randint(0, len(derived)), make_sentence(v, rng, topic))
                else:  # near-copy with edits and an extra paragraph
                    derived = [
                        paraphrase(v, rng, s, 0.2) if rng.random() < 0.2 else list(s) for s in base
                    ]
                    derived += [make_sentence(v, rng, topic) for _ in range(rng.randint(3, 9))]
                members.append(derived)
        for toks_list in members:
            if produced >= n:
                break
            aid = hashlib.md5(f"{seed}:{produced}".encode()).hexdigest()[:16]
            yield aid, [render(t) for t in toks_list], group
            produced += 1
        group += 1


def load(con: duckdb.DuckDBPyConnection, n: int) -> dict[str, int]:
    warehouse.ensure_schema(con)
    truth: dict[str, int] = {}
    batch: list[tuple[str, list[str]]] = []

    def flush():
        if not batch:
            return
        ids = [a for a, _ in batch]
        bodies = [" ".join(s) for _, s in batch]
        con.execute(
            "insert into raw.articles (article_id, source_path, content_hash, detected_format,"
            " body_text, body_key) select unnest(?::varchar[]), unnest(?::varchar[]),"
            " unnest(?::varchar[]), 'text', unnest(?::varchar[]), unnest(?::varchar[])",
            [ids, [f"{a}.txt" for a in ids], ids, bodies, ids],
        )
        c_aid, c_idx, c_start, c_end, c_text = [], [], [], [], []
        for aid, sents in batch:
            pos = 0
            for k, s in enumerate(sents):
                c_aid.append(aid)
                c_idx.append(k)
                c_start.append(pos)
                c_end.append(pos + len(s))
                c_text.append(s)
                pos += len(s) + 1
        con.execute(
            "insert into raw.claims"
            " (article_id, claim_index, char_start, char_end, text, assertion)"
            " select unnest(?::varchar[]), unnest(?::integer[]), unnest(?::integer[]),"
            " unnest(?::integer[]), unnest(?::varchar[]), 'asserted'",
            [c_aid, c_idx, c_start, c_end, c_text],
        )
        batch.clear()

    for aid, sents, group in build_corpus(n):
        truth[aid] = group
        batch.append((aid, sents))
        if len(batch) >= 5000:
            flush()
    flush()
    return truth


def pairs(labels: dict[str, object]) -> int:
    return sum(c * (c - 1) // 2 for c in Counter(labels.values()).values())


def precision_recall(
    truth: dict[str, int], predicted: dict[str, str]
) -> tuple[float, float, int, int]:
    both = {a: (truth[a], predicted[a]) for a in truth}
    tp = pairs(both)
    pred_pairs, true_pairs = pairs(predicted), pairs(truth)
    return (
        (tp / pred_pairs if pred_pairs else 1.0),
        (tp / true_pairs if true_pairs else 1.0),
        pred_pairs,
        true_pairs,
    )


def _add_copy_of_one(con: duckdb.DuckDBPyConnection) -> None:
    """Land one new article: a near-copy of an existing one, plus a paragraph."""
    source = con.execute("select min(article_id) from raw.articles").fetchone()[0]
    sentences = [
        r[0]
        for r in con.execute(
            "select text from raw.claims where article_id = ? order by claim_index", [source]
        ).fetchall()
    ]
    sentences.append("An aggregator added this closing paragraph to the copied page.")
    aid = "ffff_new_article"
    con.execute(
        "insert into raw.articles (article_id, source_path, content_hash, detected_format,"
        " body_text, body_key) values (?, ?, ?, 'text', ?, ?)",
        [aid, aid + ".txt", aid, " ".join(sentences), aid],
    )
    con.execute(
        "insert into raw.claims (article_id, claim_index, char_start, char_end, text, assertion)"
        " select ?, unnest(?::integer[]), 0, 0, unnest(?::varchar[]), 'asserted'",
        [aid, list(range(len(sentences))), sentences],
    )


def _edit_one(con: duckdb.DuckDBPyConnection) -> None:
    """Edit one existing article (not the first): one sentence reworded, one dropped."""
    target = con.execute(
        "select article_id from raw.articles order by article_id limit 1 offset 1"
    ).fetchall()[0][0]
    sentences = [
        r[0]
        for r in con.execute(
            "select text from raw.claims where article_id = ? order by claim_index", [target]
        ).fetchall()
    ]
    sentences[0] = "An editor reworded the opening sentence of this article entirely."
    del sentences[-1]
    con.execute("delete from raw.claims where article_id = ?", [target])
    con.execute("update raw.articles set body_text = ? where article_id = ?",
                [" ".join(sentences), target])
    con.execute(
        "insert into raw.claims (article_id, claim_index, char_start, char_end, text, assertion)"
        " select ?, unnest(?::integer[]), 0, 0, unnest(?::varchar[]), 'asserted'",
        [target, list(range(len(sentences))), sentences],
    )


def _cpu() -> float:
    """CPU seconds of this process (all its threads) and of its ended children (the
    text stage's worker processes)."""
    return sum(u.ru_utime + u.ru_stime for u in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


CPU = {}  # wall label -> CPU seconds of the last _timed call


def _timed(con: duckdb.DuckDBPyConnection) -> tuple[dict, float, float]:
    """assign_clusters' stats, wall seconds and the peak RSS (GB, this process and its
    worker processes) while it ran; its CPU seconds in CPU["last"]."""
    PHASE_PEAK[0] = tree_rss_gb()
    t0, c0 = time.perf_counter(), _cpu()
    stats = assign_clusters(con)
    CPU["last"] = _cpu() - c0
    return stats, time.perf_counter() - t0, max(PHASE_PEAK[0], tree_rss_gb())


def _corpus(n: int, path: pathlib.Path, keep: pathlib.Path | None) -> tuple[dict, float]:
    """Generate and land the corpus in ``path``; with ``keep``, reuse (copy) the landed
    corpus kept there by an earlier run, or keep this one there (with its truth)."""
    t0 = time.perf_counter()
    if keep is not None and keep.exists():
        shutil.copy(keep, path)
        con = duckdb.connect(str(path))
        truth = dict(con.execute("select article_id, grp from bench_truth").fetchall())
        con.close()
        return truth, time.perf_counter() - t0
    con = duckdb.connect(str(path), config={"memory_limit": "1GB"})
    truth = load(con, n)
    if keep is not None:
        con.execute("create table bench_truth (article_id varchar, grp integer)")
        con.execute(
            "insert into bench_truth select unnest(?::varchar[]), unnest(?::integer[])",
            [list(truth), list(truth.values())],
        )
        con.close()
        shutil.copy(path, keep)
    else:
        con.close()
    return truth, time.perf_counter() - t0


def _stream_new(con: duckdb.DuckDBPyConnection, count: int) -> str:
    """Land ``count`` new articles of another seed one at a time, clustering after each;
    says how many updates were incremental, why the others fell back, and the times."""
    paths: Counter = Counter()
    times: list[float] = []
    for k, (aid, sents, _) in enumerate(build_corpus(count, seed=1234)):
        aid = f"zz{k:05d}_{aid}"
        con.execute(
            "insert into raw.articles (article_id, source_path, content_hash, detected_format,"
            " body_text, body_key) values (?, ?, ?, 'text', ?, ?)",
            [aid, aid + ".txt", aid, " ".join(sents), aid],
        )
        con.execute(
            "insert into raw.claims (article_id, claim_index, char_start, char_end, text,"
            " assertion) select ?, unnest(?::integer[]), 0, 0, unnest(?::varchar[]),"
            " 'asserted'",
            [aid, list(range(len(sents))), sents],
        )
        stats, seconds, _ = _timed(con)
        times.append(seconds)
        paths["incremental" if stats.get("incremental") else stats.get("fallback", "full")] += 1
    times.sort()
    return (f"         {count} new articles one at a time: {dict(paths)}; median"
            f" {times[len(times) // 2]:.1f} s, max {times[-1]:.1f} s")


def run(n: int, workdir: pathlib.Path, keep: pathlib.Path | None = None,
        stream: int = 0) -> dict:
    path = workdir / f"clusters_{n}.duckdb"
    truth, t_load = _corpus(n, path, keep)
    # a bounded DuckDB buffer: the machine is shared
    con = duckdb.connect(str(path), config={"memory_limit": "1GB"})
    n_claims = con.execute("select count(*) from raw.claims").fetchone()[0]
    load_before = os.getloadavg()[0]
    stats, t_cluster, peak = _timed(con)
    cpu_full = CPU["last"]
    predicted = dict(
        con.execute("select article_id, rewrite_cluster_id from raw.article_clusters").fetchall()
    )
    n_claim_clusters = con.execute(
        "select count(distinct claim_cluster_id) from raw.claim_clusters"
    ).fetchone()[0]
    _, t_noop, _ = _timed(con)
    con.execute("checkpoint")
    db_gb = path.stat().st_size / 1e9
    index_file = index.index_path(con)
    index_gb = index_file.stat().st_size / 1e9
    with index.attached(con, read_only=True):
        index_rows = {
            t: con.execute(f"select count(*) from dd_index.{t}").fetchall()[0][0]  # (fixed)
            for t in ("cluster_bands", "cluster_keys", "cluster_sims", "cluster_occ")
        }
    _add_copy_of_one(con)
    load_new = os.getloadavg()[0]
    new_stats, t_new, peak_new = _timed(con)
    cpu_new = CPU["last"]
    _edit_one(con)
    edit_stats, t_edit, peak_edit = _timed(con)
    streamed = _stream_new(con, stream) if stream else ""
    con.close()
    path.unlink()
    index_file.unlink()
    p, r, pp, tp = precision_recall(truth, predicted)
    print(
        f"{n:>7} articles, {n_claims:>8} claims: generate+load {t_load:6.1f} s,"
        f" assign_clusters {t_cluster:6.1f} s (loadavg {load_before:.2f});"
        f" rewrite pairs precision {p:.3f} recall {r:.3f} (predicted {pp}, planted {tp});"
        f" claim clusters {n_claim_clusters}",
        flush=True,
    )
    print(f"         stats: {stats}", flush=True)
    print(f"         warehouse file {db_gb:.2f} GB; clustering index file {index_gb:.2f} GB,"
          f" rows {index_rows}", flush=True)
    print(f"         +1 article stats: {new_stats}", flush=True)
    print(f"         1 edited stats: {edit_stats}", flush=True)
    if streamed:
        print(streamed, flush=True)
    return {"n": n, "claims": n_claims, "seconds": t_cluster, "peak": peak, "noop": t_noop,
            "new": t_new, "peak_new": peak_new, "edit": t_edit,
            "peak_edit": peak_edit, "load": load_before, "cpu": cpu_full,
            "cpu_new": cpu_new, "load_new": load_new,
            "paths": "".join("I" if st.get("incremental") else "F"
                             for st in (new_stats, edit_stats))}


def tree_rss_gb() -> float:
    """Resident memory of this process, plus the proportional share (PSS) of its
    children (the text stage's forked workers, whose RSS would count the pages they
    share with this process twice), GB."""
    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += child.memory_full_info().pss
    return total / 1e9


def _watchdog(limit_gb: float) -> None:
    """Abort the benchmark rather than exhaust a shared machine's memory."""
    peak = 0.0
    while True:
        rss = tree_rss_gb()
        peak = max(peak, rss)
        PEAK[0] = peak
        PHASE_PEAK[0] = max(PHASE_PEAK[0], rss)
        if rss > limit_gb:
            print(f"aborting: resident memory {rss:.1f} GB > {limit_gb} GB", flush=True)
            os._exit(3)
        time.sleep(0.2)


PEAK = [0.0]
PHASE_PEAK = [0.0]  # reset by _timed: the peak while one clustering runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--workdir", type=pathlib.Path, default=None)
    ap.add_argument("--max-rss-gb", type=float, default=14.0)
    ap.add_argument("--stream", type=int, default=0, metavar="N",
                    help="then land N new articles one at a time (how often the update"
                         " is incremental, and its times)")
    ap.add_argument(
        "--corpus-dir", type=pathlib.Path, default=None,
        help="keep each size's landed corpus here (corpus_<n>.duckdb) and reuse it next time",
    )
    args = ap.parse_args()
    threading.Thread(target=_watchdog, args=(args.max_rss_gb,), daemon=True).start()
    print(
        f"loadavg at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, cpus {os.cpu_count()}"
    )
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        results = [
            run(n, pathlib.Path(tmp),
                args.corpus_dir / f"corpus_{n}.duckdb" if args.corpus_dir else None,
                args.stream)
            for n in args.sizes
        ]
    for prev, cur in zip(results, results[1:], strict=False):
        size_ratio = cur["n"] / prev["n"]
        time_ratio = cur["seconds"] / prev["seconds"] if prev["seconds"] else float("inf")
        print(
            f"growth {prev['n']} -> {cur['n']}: x{size_ratio:.0f} articles, x{time_ratio:.1f} time"
            f" ({time_ratio / size_ratio:.2f} of linear)"
        )
    print(" articles     claims  full s  full cpu s  peak GB  no-op s  +1 new s  +1 cpu s"
          "  1 edited s  +1/edit peak GB  path  load  load +1")
    for res in results:
        print(
            f"{res['n']:>9,} {res['claims']:>10,} {res['seconds']:>7.1f} {res['cpu']:>11.1f}"
            f" {res['peak']:>8.2f} {res['noop']:>8.1f} {res['new']:>9.1f} {res['cpu_new']:>9.1f}"
            f" {res['edit']:>11.1f} {max(res['peak_new'], res['peak_edit']):>16.2f}"
            f" {res['paths']:>5} {res['load']:5.1f} {res['load_new']:8.1f}"
        )
    print("path: I = incremental update, F = full clustering (for +1 new, 1 edited);"
          " load: 1-min load average when the full clustering (the +1 update) started;"
          " cpu s: CPU seconds of this process's threads and its worker processes")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # KiB -> GB
    print(f"peak resident memory {PEAK[0]:.1f} GB (getrusage ru_maxrss {maxrss:.2f} GB)")


if __name__ == "__main__":
    main()
