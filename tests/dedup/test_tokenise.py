"""The text stage in worker processes gives the same sentence index as in-process.

The chunks of a stream are tokenised by forked worker processes (lib.dedup.tokenise),
each with its own stem vocabulary, and merged in order; the merged index (keys and
their order, stems, numbers, occurrences, exact-copy digests) and the clustering must
not depend on the number of workers or on the chunk size.
"""

from __future__ import annotations

import numpy as np

from dagster_project.lib.dedup import cluster_arrays, cluster_corpus, tokenise
from dagster_project.lib.dedup.corpus import index_sentences
from scripts.bench_clusters import build_corpus


def _corpus(n: int) -> list[tuple[str, list[tuple[int | None, str]]]]:
    out = []
    for aid, sentences, _ in build_corpus(n, seed=11):
        # a few articles compared on their body only (claim index None), one empty
        claims = [(None if aid.endswith("7") else i, s) for i, s in enumerate(sentences)]
        out.append((aid, claims))
    out.append(("zzz_empty", []))
    return sorted(out)


def _content(n_workers: int, corpus) -> tuple:
    index, flat = index_sentences(iter(corpus), workers=n_workers)
    rows = [flat[index.key_off[k]:index.key_off[k + 1]] for k in range(index.n_keys)]
    assert all((np.diff(r) > 0).all() for r in rows)  # ids increase within a row
    return (
        index.key_hash.tolist(),
        [sorted(index.vocab[s] for s in r) for r in rows],
        [index.nums_list[i] for i in index.key_nums],
        [index.nums_list[i] for i in index.key_dnums],
        index.art_ids, list(index.occ_key), list(index.occ_claim), list(index.article_len),
        index.article_digest, dict(index.article_text_key),
    )


def test_worker_processes_give_the_same_index_as_one_process(monkeypatch):
    corpus = _corpus(300)
    # chunks of 7 articles and no minimum size: many chunks over two worker processes
    monkeypatch.setattr(tokenise, "CHUNK_ARTICLES", 7)
    monkeypatch.setattr(tokenise, "MIN_ARTICLES_FOR_WORKERS", 0)
    in_process = _content(1, corpus)
    assert len(in_process[0]) > 1000
    assert _content(2, corpus) == in_process
    monkeypatch.setattr(tokenise, "CHUNK_ARTICLES", 1000)  # one chunk
    assert _content(1, corpus) == in_process


def test_the_clusters_do_not_depend_on_the_workers(monkeypatch):
    corpus = dict(_corpus(200))
    one = cluster_corpus(corpus)
    monkeypatch.setattr(tokenise, "CHUNK_ARTICLES", 9)
    monkeypatch.setattr(tokenise, "MIN_ARTICLES_FOR_WORKERS", 0)
    monkeypatch.setenv("DEDUP_WORKERS", "2")
    arrays = cluster_arrays(corpus, workers=None)
    assert arrays.art_ids == sorted(corpus)
    root = arrays.art_root.tolist()
    got = {a: arrays.art_ids[root[i]] for i, a in enumerate(arrays.art_ids)}
    want = {a: min(b for b in corpus if one.article_clusters[b] == c)
            for a, c in one.article_clusters.items()}
    assert got == want
    assert len(set(got.values())) < len(got)  # planted rewrites were found


def test_a_stream_of_known_size_is_read_only_after_the_workers_are_forked(monkeypatch):
    """Workers forked after the parent has read (DuckDB's sorted claims) would each keep a
    copy of every page the parent frees afterwards: with ``n_articles`` known, the pool's
    processes exist before the first article is pulled from the stream."""
    import multiprocessing

    monkeypatch.setattr(tokenise, "CHUNK_ARTICLES", 10)
    monkeypatch.setattr(tokenise, "MIN_ARTICLES_FOR_WORKERS", 20)
    corpus = _corpus(60)
    seen: list[int] = []

    def stream():
        seen.append(len(multiprocessing.active_children()))
        yield from corpus

    chunks = list(tokenise.tokenised(stream(), workers=2, n_articles=len(corpus)))
    assert seen and seen[0] >= 2
    assert [a for c in chunks for a in c.art_ids] == [a for a, _ in corpus]
    # unknown size: read first, a pool only once the stream proves large enough
    seen.clear()
    list(tokenise.tokenised(stream(), workers=2))
    assert seen == [0] or seen[0] < 2
