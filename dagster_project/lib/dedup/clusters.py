"""Rewrite clusters of articles and paraphrase clusters of claims, without all-pairs comparison.

How it scales: every distinct sentence gets a MinHash signature of its
informative content-word stems (datasketch's permutation scheme, computed for a
whole batch at once with numpy); signatures are cut into bands and only
sentences that share a band bucket are compared (set overlap). Buckets more
crowded than a cap (boilerplate, stock phrases, words common in this corpus)
link nothing. Every rule is about a sentence, a pair or one bucket, never a
share of the whole corpus, so the clustering can be updated from the changed
articles (:mod:`.incremental`) with the same result as a full one. Article
pairs are only examined through the sentence pairs found that way. Cost grows with the number of sentences and of similar sentence
pairs, not with the square of the sentences. Each sentence is tokenised once;
its stems and numbers are worked out once per distinct normalised text.

Sentences are also blocked on their distinctive numbers (each pair of figures
and years a sentence states), so a paraphrase that keeps '1,700 UAVs since
August 2022' but adds a list of models is still compared; a number key of more
than MAX_NUMBER_BUCKET sentences links nothing.
Candidate checks are vectorised (bucket pairs and MinHash-estimated overlap in
numpy) before the exact set comparisons, so Python only loops over plausible
pairs. Candidate pairs are kept as sorted int64 codes, each only in the first band
that finds it, in a temporary file until the signatures are freed, so memory holds
the distinct pairs once, not one copy of a pair per band.

- Claims: verbatim copies (same normalised text) share a cluster; so do
  paraphrases whose stems overlap enough and that state the same numbers;
  paraphrases that restate the same distinctive figure(s) (all of one
  sentence's figures found in the other, e.g. '1,700' and '2022') with enough
  shared content words; and aligned sentences of articles in one rewrite
  cluster that state the same numbers.
- Articles: a pair is a rewrite when the sentences of the shorter one can be
  aligned, in order, with similar or verbatim sentences of the other (a
  paraphrase written sentence by sentence keeps the order; a near-copy shares
  most sentences verbatim), or when both consist of the same sentences.
- Ids: md5 of the smallest member, so the same content always gets the same id.

The stages live in their own modules: :mod:`.corpus` (the sentence index and
its informative stems), :mod:`.candidates` (MinHash/LSH and number blocking),
:mod:`.verify` (exact pair checks), :mod:`.align` (rewrite pairs of articles),
:mod:`.pairs` (the vectorised helpers they share); this module runs them in
order and turns components into ids.
"""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..warehouse import stable_id
from .align import rewrite_pairs
from .candidates import (
    ESTIMATE_FLOOR,
    MIN_SENTENCE_STEMS,
    band_codes,
    merge_band_codes,
    number_block_pairs,
    signatures,
)
from .corpus import Occurrences, group_occurrences, index_sentences, informative_stems
from .pairs import PAIR_CHUNK, components, distinct, expand
from .threads import release_freed
from .verify import VerifiedPairs, verify_candidates


@dataclass(frozen=True)
class ClusterResult:
    """Cluster id per article and per (article_id, claim_index)."""

    article_clusters: dict[str, str]
    claim_clusters: dict[tuple[str, int], str]
    stats: dict = field(default_factory=dict)


@dataclass
class ClusterArrays:
    """The clustering as arrays over article positions (``art_ids`` is sorted).

    Ids are not made here: an article's cluster is named after ``art_ids[art_root[i]]``
    and a claim's after its cluster's smallest (article, claim_index), the head, so
    the writer can turn millions of claims into ids in SQL instead of Python strings.
    """

    art_ids: list[str]
    art_root: np.ndarray  # per article, the position of its cluster's smallest member
    claim_art: np.ndarray  # per claim: article position ...
    claim_idx: np.ndarray  # ... claim index ...
    head_art: np.ndarray  # ... and its cluster's head (article position, claim index)
    head_idx: np.ndarray
    stats: dict = field(default_factory=dict)


def cluster_corpus(articles: dict[str, list[tuple[int | None, str]]]) -> ClusterResult:
    """Cluster articles and claims.

    ``articles`` maps article_id to its sentences as (claim_index, text); a
    claim_index of None marks a sentence used for article similarity only.
    """
    arrays = cluster_arrays(articles)
    art_ids, root = arrays.art_ids, arrays.art_root.tolist()
    article_clusters = {aid: stable_id(art_ids[root[i]]) for i, aid in enumerate(art_ids)}
    claim_clusters = {
        (art_ids[x], ci): stable_id(art_ids[hx], hi)
        for x, ci, hx, hi in zip(
            arrays.claim_art.tolist(), arrays.claim_idx.tolist(),
            arrays.head_art.tolist(), arrays.head_idx.tolist(), strict=True,
        )
    }
    return ClusterResult(article_clusters, claim_clusters, arrays.stats)


def cluster_arrays(
    articles: dict[str, list[tuple[int | None, str]]]
    | Iterable[tuple[str, list[tuple[int | None, str]]]],
    sink=None,
    workers: int | None = 1,
    n_articles: int | None = None,
) -> ClusterArrays:
    """:func:`cluster_corpus` without the ids; ``articles`` may also be a stream of
    (article_id, sentences) in increasing id order (see corpus.index_sentences).

    ``sink`` (an index.IndexWriter) receives each stage's results for the index an
    incremental update starts from. ``workers`` processes tokenise the text (None: one
    per core, for a stream of ``n_articles`` large enough; see :mod:`.tokenise`)."""
    # Millions of small tuples and sets, none in a reference cycle: the cyclic
    # garbage collector would rescan them all again and again (super-linear).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _cluster_corpus(articles, sink, workers, n_articles)
    finally:
        if was_enabled:
            gc.enable()


def _cpu_seconds() -> float:
    """CPU seconds of this process (all its threads) and of its ended children (the
    text stage's worker processes)."""
    return sum(u.ru_utime + u.ru_stime for u in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


class _Laps:
    """Seconds and CPU seconds spent in each stage, and the process's peak memory
    after it (GB, which stage raised it), for the stats."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peaks: dict[str, float] = {}
        self._clock = time.perf_counter()
        self._cpu = _cpu_seconds()

    def lap(self, name: str) -> None:
        release_freed()
        now, cpu = time.perf_counter(), _cpu_seconds()
        self.timings[name] = round(now - self._clock, 2)
        self.cpu[name] = round(cpu - self._cpu, 2)
        self.peaks[name] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2)  # KiB -> GB
        self._clock, self._cpu = now, cpu


def _cluster_corpus(articles, sink=None, workers=1, n_articles=None) -> ClusterArrays:
    """The stages in order; each frees what the next ones no longer need."""
    laps = _Laps()
    index, flat = index_sentences(articles, workers, n_articles)
    stems = informative_stems(index, flat)
    del flat
    art_ids, n_art, n_keys = index.art_ids, len(index.art_ids), index.n_keys
    laps.lap("t_text")

    signed = np.flatnonzero(stems.row_len >= MIN_SENTENCE_STEMS).astype(np.int64)
    if sink is not None:
        sink.keys(index, stems, signed)
        laps.lap("t_index_keys")
    index.key_hash = np.empty(0, dtype=np.int64)  # (read by the index writer only)
    sigs = signatures(stems.flat, stems.off, signed, index.vocab)  # order-independent
    laps.lap("t_signatures")
    # Only pairs whose estimated overlap could reach ALIGN_FLOOR are checked exactly.
    codes = band_codes(sigs, signed, ESTIMATE_FLOOR, sink.bands if sink else None)
    del sigs  # (before the merge of the bands' pairs)
    band = merge_band_codes(codes, signed)
    by_number = number_block_pairs(
        index.key_dnums, index.nums_list, signed, sink.numbers if sink else None
    )
    laps.lap("t_candidates")

    sims = verify_candidates(
        stems, index.key_nums, index.key_dnums, index.nums_list, band, by_number
    )
    n_band, n_number = len(band), len(by_number)
    del stems, band, by_number  # (45 million codes at 100,000 articles)
    laps.lap("t_verify")
    if sink is not None:
        sink.edges(sims, index.key_nums)

    occ = group_occurrences(index)
    rew_a, rew_b, n_points = rewrite_pairs(occ, sims, index.article_len, n_art)
    rewrites = len(rew_a)
    laps.lap("t_align")
    if sink is not None:
        sink.articles(index, occ)
        sink.rewrites(art_ids, rew_a, rew_b)
        laps.lap("t_index_rest")

    copies = _add_exact_copies(index.article_text_key, rew_a, rew_b)
    index.article_text_key = {}
    art_root = _article_roots(n_art, rew_a, rew_b)
    claim_label, extra_linked = _claim_labels(n_keys, index.key_nums, sims, occ, art_root)
    if sink is not None:
        sink.claim_labels(claim_label)
    linked = sims.linked + extra_linked
    del sims
    claim_art, claim_idx, head_art, head_idx = _claim_heads(claim_label, occ)
    n_claim_clusters = int(np.count_nonzero((claim_art == head_art) & (claim_idx == head_idx)))
    del occ, claim_label

    stats = {
        "articles": n_art,
        "sentences": index.n_sentences,
        "distinct_sentences": n_keys,
        "sentence_candidate_pairs": n_band + n_number,
        "claim_pairs_linked": linked,
        "claim_clusters": n_claim_clusters,
        "article_pairs_examined": n_points,
        "rewrite_pairs": rewrites,
        "exact_copy_pairs": copies,
        "rewrite_clusters": len(np.unique(art_root)),
        "band_pairs": n_band,
        "number_pairs": n_number,
        **laps.timings,
        "cpu_s": laps.cpu,
        "peak_gb_after": laps.peaks,
    }
    del index
    release_freed()
    return ClusterArrays(art_ids, art_root, claim_art, claim_idx, head_art, head_idx, stats)


def _add_exact_copies(
    article_text_key: dict[bytes, list[int]], rew_a: list[int], rew_b: list[int]
) -> int:
    """Link articles made of the same sentences (possibly in more articles than any
    cap) into ``rew_a``/``rew_b``; returns the pairs added."""
    copies = 0
    for group in article_text_key.values():
        for other in group[1:]:
            rew_a.append(group[0])
            rew_b.append(other)
            copies += 1
    return copies


def _article_roots(n_art: int, rew_a: list[int], rew_b: list[int]) -> np.ndarray:
    """Per article, the smallest article of its rewrite cluster (articles are sorted by id)."""
    art_label = components(n_art, np.array(rew_a, dtype=np.int64), np.array(rew_b, dtype=np.int64))
    art_root = np.full(art_label.max() + 1 if n_art else 0, n_art, dtype=np.int64)
    np.minimum.at(art_root, art_label, np.arange(n_art, dtype=np.int64))
    return art_root[art_label]


def _claim_labels(
    n_keys: int,
    key_nums: np.ndarray,
    sims: VerifiedPairs,
    occ: Occurrences,
    art_root: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Claim component of each key, and the pairs linked besides ``sims``'s edges.

    Besides the same-claim pairs, similar sentences stating the same numbers are one
    claim when they occur in articles of one rewrite cluster (aligned sentences).
    """
    sim_a, sim_b = sims.sim_a, sims.sim_b
    edge_a, edge_b = sims.edge_a, sims.edge_b
    claim_label = components(n_keys, edge_a, edge_b)
    na = key_nums[sim_a]
    cand = np.flatnonzero(
        (na != 0) & (na == key_nums[sim_b]) & (claim_label[sim_a] != claim_label[sim_b])
    )
    ca, cb = sim_a[cand], sim_b[cand]
    extra_a, extra_b = [], []
    linked = 0
    step = PAIR_CHUNK
    for start in range(0, len(ca), step):
        a, b = ca[start : start + step], cb[start : start + step]
        p, ma, mb = expand(occ.off, a, b)
        hit = distinct(p[art_root[occ.art[ma]] == art_root[occ.art[mb]]])
        extra_a.append(a[hit])
        extra_b.append(b[hit])
        linked += len(hit)
    if extra_a:
        claim_label = components(
            n_keys,
            np.concatenate([edge_a, *extra_a]),
            np.concatenate([edge_b, *extra_b]),
        )
    return claim_label, linked


def _claim_heads(
    claim_label: np.ndarray, occ: Occurrences
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every claim occurrence (article position, claim index) and its cluster's head:
    the smallest (article, claim_index) of its claim component."""
    is_claim = occ.claim >= 0
    occ_lab = np.repeat(claim_label, occ.size)[is_claim]
    c_art = occ.art[is_claim]
    c_idx = occ.claim[is_claim].astype(np.int64)
    del is_claim
    order = np.lexsort((c_idx, c_art, occ_lab))
    sorted_lab = occ_lab[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_lab[1:] != sorted_lab[:-1]
    # the head of each run of one label, spread over the run
    head_pos = order[np.flatnonzero(first)[np.cumsum(first) - 1]]
    head_art = np.empty_like(c_art)
    head_idx = np.empty_like(c_idx)
    head_art[order] = c_art[head_pos]
    head_idx[order] = c_idx[head_pos]
    return c_art, c_idx, head_art, head_idx
