"""Rewrite clusters of articles and paraphrase clusters of claims, without all-pairs comparison.

How it scales: every distinct sentence gets a MinHash signature of its
informative content-word stems (datasketch's permutation scheme, computed for a
whole batch at once with numpy); signatures are cut into bands and only
sentences that share a band bucket are compared (set overlap). Buckets more
crowded than a cap (boilerplate, stock phrases) and stems found in a large share
of all sentences (the corpus's own stop words, e.g. 'Russia' in a corpus about
Russia) link nothing. Article pairs are only examined through the sentence pairs
found that way. Cost grows with the number of sentences, not with its square.

Sentences are also blocked on their distinctive numbers (each pair of figures
and years a sentence states), so a paraphrase that keeps '1,700 UAVs since
August 2022' but adds a list of models is still compared. Candidate checks are
vectorised (bucket pairs and MinHash-estimated overlap in numpy) before the
exact set comparisons, so Python only loops over plausible pairs.

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
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from .text import analyse, distinctive_numbers

log = logging.getLogger(__name__)

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)

NUM_PERM = 96
# P(candidate) = 1 - (1 - J**3)**32: 0.58 at J = 0.3, 0.87 at J = 0.4, 0.03 at J = 0.1
BANDS, ROWS = 32, 3
MIN_SENTENCE_STEMS = 3  # shorter sentences are too generic to link anything
MAX_BUCKET = 20  # a band bucket this crowded is boilerplate or a stock phrase
# A stem in more than this share of the distinct sentences (and in more than
# FREQUENT_MIN of them) is a stop word of this corpus.
FREQUENT_SHARE = 0.01
FREQUENT_MIN = 40
# Claims: same numbers and this overlap, or no numbers and the higher one.
CLAIM_JACCARD_WITH_NUMBERS = 0.3
CLAIM_JACCARD = 0.5
# Articles: in-order alignment of sentence pairs with at least ALIGN_FLOOR
# overlap, each weighted by its overlap, over the shorter article's length.
ALIGN_FLOOR = 0.2
REWRITE_SCORE = 0.05  # samples: rewrites 0.06-0.22, independent pairs <= 0.011
REWRITE_MIN_ALIGNED = 3  # at least this many aligned sentence pairs
MAX_GROUP_FOR_PAIRS = 50  # a verbatim sentence in more articles is boilerplate
# Candidate pairs whose MinHash-estimated overlap is below this are not checked.
ESTIMATE_FLOOR = 0.15
# Number blocking: keys from at most this many distinctive numbers of a sentence,
# and a key shared by more sentences than this is too common to link anything.
MAX_NUMBERS_PER_KEY = 6
MAX_NUMBER_BUCKET = 30
# Same figure(s) in other words: shared content words besides the numbers, and
# their share of the shorter sentence's (two figures, or only one).
FIGURE_CLAIM_MIN_SHARED = 3
FIGURE_CLAIM_OVERLAP = 0.25
FIGURE_CLAIM_OVERLAP_ONE = 0.5


@dataclass(frozen=True)
class ClusterResult:
    """Cluster id per article and per (article_id, claim_index)."""

    article_clusters: dict[str, str]
    claim_clusters: dict[tuple[str, int], str]
    stats: dict = field(default_factory=dict)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def stable_id(*parts: object) -> str:
    return hashlib.md5("|".join(str(p) for p in parts).encode()).hexdigest()


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def same_claim(
    stems_a: frozenset, nums_a: frozenset, stems_b: frozenset, nums_b: frozenset
) -> bool:
    """Two sentences state the same claim (verbatim or paraphrased)."""
    if nums_a != nums_b:
        return False  # '$5 billion in 2022' and '$4 billion in 2023' are different claims
    j = _jaccard(stems_a, stems_b)
    return j >= (CLAIM_JACCARD_WITH_NUMBERS if nums_a else CLAIM_JACCARD)


def alignment_score(
    points: list[tuple[int, int, float]], len_a: int, len_b: int
) -> tuple[float, int]:
    """Best in-order alignment of two articles from their similar sentence pairs.

    ``points`` are (position in a, position in b, weight). Returns the summed
    weight of the heaviest chain increasing in both positions, divided by the
    shorter article's sentence count, and the chain's length.
    """
    if not points or not len_a or not len_b:
        return 0.0, 0
    points = sorted(points)
    best: list[tuple[float, int]] = []
    for k, (i, j, w) in enumerate(points):
        top = (0.0, 0)
        for m in range(k):
            pi, pj, _ = points[m]
            if pi < i and pj < j and best[m] > top:
                top = best[m]
        best.append((top[0] + w, top[1] + 1))
    score, length = max(best)
    return score / min(len_a, len_b), length


def _signatures(token_lists: list) -> np.ndarray:
    """MinHash signatures (datasketch's hash and permutations) for many sets at once."""
    template = MinHash(num_perm=NUM_PERM, seed=1)
    a, b = template.permutations
    vocab: dict[str, int] = {}
    flat: list[int] = []
    offsets: list[int] = []
    for tokens in token_lists:
        offsets.append(len(flat))
        for t in tokens:
            idx = vocab.get(t)
            if idx is None:
                idx = vocab[t] = len(vocab)
            flat.append(idx)
    hv = np.array([sha1_hash32(t.encode()) for t in vocab], dtype=np.uint64)
    # (NUM_PERM, vocabulary) so that each permutation is one contiguous gather + reduceat
    token_values = np.bitwise_and((np.outer(a, hv) + b[:, None]) % _MERSENNE, _MAX_HASH).astype(
        np.uint32
    )
    out = np.empty((len(token_lists), NUM_PERM), dtype=np.uint32)
    if not flat:
        return out
    flat_arr = np.array(flat, dtype=np.int64)
    off = np.array(offsets + [len(flat)], dtype=np.int64)
    step = 200_000
    for start in range(0, len(token_lists), step):
        stop = min(start + step, len(token_lists))
        lo, hi = off[start], off[stop]
        tokens = flat_arr[lo:hi]
        seg = off[start:stop] - lo
        for p in range(NUM_PERM):
            out[start:stop, p] = np.minimum.reduceat(token_values[p][tokens], seg)
    return out


def _unique_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distinct (min, max) pairs as an (n, 2) int64 array."""
    if not len(a):
        return np.empty((0, 2), dtype=np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    code = np.unique(lo[keep] * np.int64(1 << 32) + hi[keep])
    return np.stack((code >> 32, code & ((1 << 32) - 1)), axis=1)


def _bucket_pairs(
    keys: np.ndarray, ids: np.ndarray, max_bucket: int
) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of ids sharing a key, over buckets of 2..max_bucket members (vectorised)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.concatenate(([0], np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1))
    sizes = np.diff(np.concatenate((starts, [len(sorted_keys)])))
    out_a, out_b = [], []
    for size in np.unique(sizes[(sizes > 1) & (sizes <= max_bucket)]).tolist():
        st = starts[sizes == size]
        members = ids[order[st[:, None] + np.arange(size)]]  # (buckets, size)
        x, y = np.triu_indices(size, 1)
        out_a.append(members[:, x].ravel())
        out_b.append(members[:, y].ravel())
    if not out_a:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(out_a), np.concatenate(out_b)


def _band_pairs(signatures: np.ndarray, ids: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """Distinct pairs of ids that share a band bucket of at most MAX_BUCKET members.

    ``ids[k]`` is the sentence behind ``signatures[k]``. Pairs whose estimated
    Jaccard (share of equal MinHash values) is below ``floor`` are dropped band
    by band, so memory stays bounded by the plausible pairs.
    """
    if len(ids) < 2:
        return np.empty((0, 2), dtype=np.int64)
    rows = np.arange(len(ids), dtype=np.int64)
    mix = np.uint64(0x9E3779B97F4A7C15)
    kept: list[np.ndarray] = []
    for band in range(BANDS):
        cols = signatures[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        keys = cols[:, 0]
        for r in range(1, ROWS):
            keys = keys * mix ^ cols[:, r]
        a, b = _bucket_pairs(keys, rows, MAX_BUCKET)
        if floor > 0 and len(a):
            ok = _estimated_jaccard(signatures, a, b) >= floor
            a, b = a[ok], b[ok]
        kept.append(_unique_pairs(a, b))
    pairs = _unique_pairs(*np.concatenate(kept).T) if kept else np.empty((0, 2), np.int64)
    return ids[pairs]


def _number_block_pairs(dnums: list[frozenset], signed: list[int]) -> np.ndarray:
    """Pairs of sentences stating the same distinctive figure(s).

    Paraphrases keep their figures ('1,700 UAVs since August 2022') even when
    one of them adds more (a list of models, another figure), so every pair of
    a sentence's distinctive numbers is a blocking key, and so is each of them
    alone (a sentence with one figure meets one that adds a date). Crowded keys
    (a year alone, in a large corpus) link nothing.
    """
    key_ids: dict[tuple, int] = {}
    ks, ids = [], []
    for idx in signed:
        d = dnums[idx]
        if not d:
            continue
        d = sorted(d)[:MAX_NUMBERS_PER_KEY]
        keys = [(x,) for x in d]
        keys += [(d[x], d[y]) for x in range(len(d)) for y in range(x + 1, len(d))]
        for k in keys:
            kid = key_ids.get(k)
            if kid is None:
                kid = key_ids[k] = len(key_ids)
            ks.append(kid)
            ids.append(idx)
    if not ks:
        return np.empty((0, 2), dtype=np.int64)
    a, b = _bucket_pairs(
        np.array(ks, dtype=np.int64), np.array(ids, dtype=np.int64), MAX_NUMBER_BUCKET
    )
    return _unique_pairs(a, b)


def _estimated_jaccard(sigs: np.ndarray, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    out = np.empty(len(rows_a), dtype=np.float32)
    step = 500_000
    for i in range(0, len(rows_a), step):
        out[i : i + step] = (sigs[rows_a[i : i + step]] == sigs[rows_b[i : i + step]]).mean(axis=1)
    return out


def same_figure_claim(
    stems_a: frozenset, dnums_a: frozenset, stems_b: frozenset, dnums_b: frozenset
) -> bool:
    """A paraphrase that restates the same distinctive figure(s) in other words.

    The figures of the sentence stating fewer must all appear in the other, with
    at least two of them (a figure and its date) or one figure and a high word
    overlap, plus enough shared content words besides the numbers.
    """
    small, large = (dnums_a, dnums_b) if len(dnums_a) <= len(dnums_b) else (dnums_b, dnums_a)
    if not small or not small <= large:
        return False
    words_a = {t for t in stems_a if not t.isdigit()}
    words_b = {t for t in stems_b if not t.isdigit()}
    shared = len(words_a & words_b)
    if shared < FIGURE_CLAIM_MIN_SHARED:
        return False
    overlap = shared / max(1, min(len(words_a), len(words_b)))
    if len(small) >= 2:
        return overlap >= FIGURE_CLAIM_OVERLAP
    return overlap >= FIGURE_CLAIM_OVERLAP_ONE


def cluster_corpus(articles: dict[str, list[tuple[int | None, str]]]) -> ClusterResult:
    """Cluster articles and claims.

    ``articles`` maps article_id to its sentences as (claim_index, text); a
    claim_index of None marks a sentence used for article similarity only.
    """
    # Millions of small tuples and sets, none in a reference cycle: the cyclic
    # garbage collector would rescan them all again and again (super-linear).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _cluster_corpus(articles)
    finally:
        if was_enabled:
            gc.enable()


def _cluster_corpus(articles: dict[str, list[tuple[int | None, str]]]) -> ClusterResult:
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 2)
        clock[0] = now

    # --- sentences, deduplicated by normalised text --------------------------------
    key_index: dict[str, int] = {}
    key_members: list[list[tuple[str, int, int | None]]] = []  # (article, position, claim)
    key_stems: list[frozenset[str]] = []
    df: Counter = Counter()
    count_stems = df.update  # C-level counting
    key_nums: list[frozenset] = []
    dnums: list[frozenset] = []
    article_len: dict[str, int] = {}
    article_text_key: dict[str, list] = defaultdict(list)  # full-text hash -> articles
    for article_id in sorted(articles):
        sentences = articles[article_id]
        article_len[article_id] = len(sentences)
        seq = []
        for position, (claim_index, text) in enumerate(sentences):
            k, stems, nums = analyse(text)
            idx = key_index.get(k)
            if idx is None:
                idx = key_index[k] = len(key_members)
                key_members.append([])
                stem_set = frozenset(stems)
                key_stems.append(stem_set)
                count_stems(stem_set)
                key_nums.append(nums)
                dnums.append(distinctive_numbers(nums, text) if nums else nums)
            key_members[idx].append((article_id, position, claim_index))
            seq.append(idx)
        if seq:
            article_text_key[hashlib.md5(str(seq).encode()).digest()].append(article_id)

    # --- informative stems: drop this corpus's own stop words ------------------------
    cap = max(FREQUENT_MIN, FREQUENT_SHARE * len(key_stems))
    frequent = {t for t, c in df.items() if c > cap}
    if frequent:
        frequent = frozenset(frequent)
        informative = [s if s.isdisjoint(frequent) else s - frequent for s in key_stems]
    else:
        informative = key_stems
    del df, key_stems

    lap("t_text")
    # --- banded MinHash + number blocking -> candidate sentence pairs ---------------
    signed = [i for i, s in enumerate(informative) if len(s) >= MIN_SENTENCE_STEMS]
    sigs = _signatures([informative[i] for i in signed])  # order-independent
    lap("t_signatures")
    # Only pairs whose estimated overlap could reach ALIGN_FLOOR are checked exactly.
    band = _band_pairs(sigs, np.array(signed, dtype=np.int64), ESTIMATE_FLOOR)
    by_number = _number_block_pairs(dnums, signed)
    n_candidates = len(band) + len(by_number)
    lap("t_candidates")

    similar: list[tuple[int, int, float]] = []
    claim_uf = _UnionFind()
    linked = 0
    # Number-blocked pairs already checked as band pairs only get the figure test.
    band_codes = band[:, 0] * np.int64(1 << 32) + band[:, 1]
    number_codes = by_number[:, 0] * np.int64(1 << 32) + by_number[:, 1]
    number_in_band = np.isin(number_codes, band_codes)
    del band_codes, number_codes
    step = 500_000  # small Python lists at a time: bounded memory
    for start in range(0, len(band), step):
        for a, b in band[start : start + step].tolist():
            ia, ib = informative[a], informative[b]
            j = len(ia & ib) / len(ia | ib)
            if j >= ALIGN_FLOOR:
                similar.append((a, b, j))
            if same_claim(ia, key_nums[a], ib, key_nums[b]):
                claim_uf.union(a, b)
                linked += 1
    for start in range(0, len(by_number), step):
        chunk = by_number[start : start + step].tolist()
        in_band = number_in_band[start : start + step].tolist()
        for (a, b), checked in zip(chunk, in_band, strict=True):
            ia, ib = informative[a], informative[b]
            if not checked:
                j = len(ia & ib) / len(ia | ib)
                if j >= ALIGN_FLOOR:
                    similar.append((a, b, j))
                if same_claim(ia, key_nums[a], ib, key_nums[b]):
                    claim_uf.union(a, b)
                    linked += 1
                    continue
            if same_figure_claim(ia, dnums[a], ib, dnums[b]) and claim_uf.find(a) != claim_uf.find(
                b
            ):
                claim_uf.union(a, b)
                linked += 1
    lap("t_verify")

    # --- article pairs: in-order alignment of similar sentences ---------------------
    points: dict[tuple[str, str], list[tuple[int, int, float]]] = defaultdict(list)

    def add_points(ma, mb, weight):
        if len(ma) > MAX_GROUP_FOR_PAIRS or len(mb) > MAX_GROUP_FOR_PAIRS:
            return
        for aid_a, pos_a, _ in ma:
            for aid_b, pos_b, _ in mb:
                if aid_a < aid_b:
                    points[(aid_a, aid_b)].append((pos_a, pos_b, weight))
                elif aid_b < aid_a:
                    points[(aid_b, aid_a)].append((pos_b, pos_a, weight))

    for members in key_members:  # verbatim copies of a sentence
        if len(members) > 1:
            add_points(members, members, 1.0)
    for a, b, j in similar:
        add_points(key_members[a], key_members[b], j)

    article_uf = _UnionFind()
    for aid in articles:
        article_uf.find(aid)
    rewrites = 0
    for (x, y), pts in sorted(points.items()):
        if len(pts) < REWRITE_MIN_ALIGNED:
            continue
        score, aligned = alignment_score(pts, article_len[x], article_len[y])
        if score >= REWRITE_SCORE and aligned >= REWRITE_MIN_ALIGNED:
            article_uf.union(x, y)
            rewrites += 1
    n_points = len(points)
    points.clear()
    lap("t_align")

    # --- exact copies (same sentences, possibly in more articles than any cap) -------
    copies = 0
    for group in article_text_key.values():
        for other in group[1:]:
            article_uf.union(group[0], other)
            copies += 1

    # --- claims of one rewrite cluster: aligned sentences stating the same numbers ---
    for a, b, _j in similar:
        if key_nums[a] and key_nums[a] == key_nums[b] and claim_uf.find(a) != claim_uf.find(b):
            roots_a = {article_uf.find(m[0]) for m in key_members[a]}
            if any(article_uf.find(m[0]) in roots_a for m in key_members[b]):
                claim_uf.union(a, b)
                linked += 1

    # --- claim clusters ------------------------------------------------------------
    group_members: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for idx, members in enumerate(key_members):
        root = claim_uf.find(idx)
        group_members[root].extend((aid, ci) for aid, _, ci in members if ci is not None)
    claim_clusters: dict[tuple[str, int], str] = {}
    for members in group_members.values():
        if members:
            cid = stable_id(*min(members))
            for m in members:
                claim_clusters[m] = cid

    article_clusters = {aid: stable_id(article_uf.find(aid)) for aid in articles}
    stats = {
        "articles": len(articles),
        "sentences": sum(article_len.values()),
        "distinct_sentences": len(key_members),
        "sentence_candidate_pairs": n_candidates,
        "claim_pairs_linked": linked,
        "claim_clusters": len(set(claim_clusters.values())),
        "article_pairs_examined": n_points,
        "rewrite_pairs": rewrites,
        "exact_copy_pairs": copies,
        "rewrite_clusters": len(set(article_clusters.values())),
        "band_pairs": len(band),
        "number_pairs": len(by_number),
        **timings,
    }
    return ClusterResult(article_clusters, claim_clusters, stats)
