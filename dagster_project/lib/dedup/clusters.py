"""Rewrite clusters of articles and paraphrase clusters of claims, without all-pairs comparison.

How it scales: every distinct sentence gets a MinHash signature of its
informative content-word stems (datasketch's permutation scheme, computed for a
whole batch at once with numpy); signatures are cut into bands and only
sentences that share a band bucket are compared (set overlap). Buckets more
crowded than a cap (boilerplate, stock phrases) and stems found in a large share
of all sentences (the corpus's own stop words, e.g. 'Russia' in a corpus about
Russia) link nothing. Article pairs are only examined through the sentence pairs
found that way. Cost grows with the number of sentences and of similar sentence
pairs, not with the square of the sentences. Each sentence is tokenised once;
its stems and numbers are worked out once per distinct normalised text.

Sentences are also blocked on their distinctive numbers (each pair of figures
and years a sentence states), so a paraphrase that keeps '1,700 UAVs since
August 2022' but adds a list of models is still compared; the cap on a number
key's sentences grows with the corpus up to a ceiling (number_bucket_cap).
Candidate checks are vectorised (bucket pairs and MinHash-estimated overlap in
numpy) before the exact set comparisons, so Python only loops over plausible
pairs. Candidate pairs are kept as sorted int64 codes, merged band by band, so
memory holds about the distinct pairs, not one copy of a pair per band.

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
from array import array
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .text import _EMPTY, distinctive_numbers, numbers, stem, words

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
# and a key shared by more sentences than the cap is too common to link anything.
# The cap is MAX_NUMBER_BUCKET up to NUMBER_BUCKET_BASE distinct sentences and
# grows in proportion beyond (a figure restated by 30 of 400,000 sentences is as
# rare as one restated by 300 of 4 million), but never above
# MAX_NUMBER_BUCKET_CEILING, which bounds the pairs to (ceiling - 1) / 2 per key
# entry: a fixed cap would switch number blocking off in a large corpus, an
# unbounded one would make it quadratic.
MAX_NUMBERS_PER_KEY = 6
MAX_NUMBER_BUCKET = 30
NUMBER_BUCKET_BASE = 400_000
MAX_NUMBER_BUCKET_CEILING = 120
# Same figure(s) in other words: shared content words besides the numbers, and
# their share of the shorter sentence's (two figures, or only one).
FIGURE_CLAIM_MIN_SHARED = 3
FIGURE_CLAIM_OVERLAP = 0.25
FIGURE_CLAIM_OVERLAP_ONE = 0.5


def number_bucket_cap(n_sentences: int) -> int:
    """Most sentences a number key may have and still link them (see MAX_NUMBER_BUCKET)."""
    scaled = MAX_NUMBER_BUCKET * n_sentences // NUMBER_BUCKET_BASE
    return int(min(MAX_NUMBER_BUCKET_CEILING, max(MAX_NUMBER_BUCKET, scaled)))


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


def _csr_gather(off: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Element indices of CSR rows ``rows`` (concatenated) and each row's length."""
    starts = off[rows]
    lens = off[rows + 1] - starts
    out_starts = np.cumsum(lens) - lens
    idx = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(out_starts - starts, lens)
    return idx, lens


def _signatures(flat: np.ndarray, off: np.ndarray, rows: np.ndarray, vocab: list) -> np.ndarray:
    """MinHash signatures (datasketch's hash and permutations) of CSR rows ``rows``.

    ``flat[off[k]:off[k + 1]]`` are the stem ids of set k, ``vocab`` their strings;
    every selected row must be non-empty.
    """
    template = MinHash(num_perm=NUM_PERM, seed=1)
    a, b = template.permutations
    hv = np.array([sha1_hash32(t.encode()) for t in vocab], dtype=np.uint64)
    # (NUM_PERM, vocabulary) so that each permutation is one contiguous gather + reduceat
    token_values = np.bitwise_and((np.outer(a, hv) + b[:, None]) % _MERSENNE, _MAX_HASH).astype(
        np.uint32
    )
    out = np.empty((len(rows), NUM_PERM), dtype=np.uint32)
    step = 200_000
    for start in range(0, len(rows), step):
        idx, lens = _csr_gather(off, rows[start : start + step])
        tokens = flat[idx]
        seg = np.cumsum(lens) - lens
        for p in range(NUM_PERM):
            out[start : start + len(lens), p] = np.minimum.reduceat(token_values[p][tokens], seg)
    return out


def _drop_repeats(x: np.ndarray) -> np.ndarray:
    """A sorted array without its repeated values."""
    if len(x) < 2:
        return x
    keep = np.empty(len(x), dtype=bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def _distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array.

    A sort and a neighbour comparison: numpy 2's np.unique hashes integers,
    which is many times slower on arrays of millions.
    """
    return _drop_repeats(np.sort(x))


_LOW = np.int64((1 << 32) - 1)


def _pair_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sorted distinct codes min * 2**32 + max of the pairs (a[i], b[i]), a[i] != b[i]."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    return _distinct(lo[keep].astype(np.int64) * np.int64(1 << 32) + hi[keep])


def _decode(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (a, b), a < b, behind pair codes."""
    return codes >> 32, codes & _LOW


def _merge_codes(acc: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Sorted distinct union of two sorted distinct code arrays (a linear merge)."""
    merged = np.concatenate((acc, new))
    merged.sort(kind="stable")  # timsort: two sorted runs are merged, not re-sorted
    return _drop_repeats(merged)


def _in_sorted(codes: np.ndarray, sorted_codes: np.ndarray) -> np.ndarray:
    """Membership of each of ``codes`` in the sorted array ``sorted_codes``."""
    if not len(sorted_codes):
        return np.zeros(len(codes), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_codes, codes), len(sorted_codes) - 1)
    return sorted_codes[pos] == codes


def _bucket_pairs(
    keys: np.ndarray, ids: np.ndarray, max_bucket: int
) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of ids sharing a key, over buckets of 2..max_bucket members (vectorised)."""
    order = np.argsort(keys)  # any order within a bucket: its pairs are unordered
    sorted_keys = keys[order]
    starts = np.concatenate(([0], np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1))
    sizes = np.diff(np.concatenate((starts, [len(sorted_keys)])))
    out_a, out_b = [], []
    present = np.bincount(sizes[(sizes > 1) & (sizes <= max_bucket)], minlength=2)
    for size in np.flatnonzero(present).tolist():
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

    ``ids[k]`` (increasing) is the sentence behind ``signatures[k]``. Returns the
    sorted codes of the pairs (see _pair_codes). Pairs whose estimated Jaccard
    (share of equal MinHash values) is below ``floor`` are dropped band by band,
    and each band's pairs are kept as 8-byte codes, merged like a binary counter
    (two sets of about equal size at a time), so memory stays bounded by the
    distinct plausible pairs and merging costs O(pairs * log(BANDS)).
    """
    if len(ids) < 2:
        return np.empty(0, dtype=np.int64)
    mix = np.uint64(0x9E3779B97F4A7C15)
    levels: list[tuple[int, np.ndarray]] = []  # (level, sorted distinct codes)
    # about 4 slots per row, at most 2**24 (a 128 MB count table)
    low_mask = np.uint64((1 << min(24, max(10, (4 * len(ids)).bit_length()))) - 1)
    for band in range(BANDS):
        cols = signatures[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        keys = cols[:, 0]
        for r in range(1, ROWS):
            keys = keys * mix ^ cols[:, r]
        del cols
        # Most sentences are alone in their bucket: only rows whose key may occur
        # twice or more (its low bits do) are grouped, by their whole key.
        low = (keys & low_mask).astype(np.int64)
        rows = np.flatnonzero(np.bincount(low, minlength=int(low_mask) + 1)[low] > 1)
        a, b = _bucket_pairs(keys[rows], rows, MAX_BUCKET)
        del keys, low, rows
        if floor > 0 and len(a):
            ok = _estimated_overlap_at_least(signatures, a, b, floor)
            a, b = a[ok], b[ok]
        level, codes = 0, _pair_codes(a, b)
        del a, b
        while levels and levels[-1][0] == level:
            codes = _merge_codes(levels.pop()[1], codes)
            level += 1
        levels.append((level, codes))
    kept = np.empty(0, dtype=np.int64)
    while levels:
        kept = _merge_codes(levels.pop()[1], kept)
    # ids increase with the row, so the codes stay sorted when mapped to ids
    a, b = _decode(kept)
    del kept
    return ids[a] * np.int64(1 << 32) + ids[b]


def _number_block_pairs(
    key_dnums: np.ndarray, nums_list: list, signed: np.ndarray, max_bucket: int
) -> np.ndarray:
    """Pairs of sentences stating the same distinctive figure(s).

    Paraphrases keep their figures ('1,700 UAVs since August 2022') even when
    one of them adds more (a list of models, another figure), so every pair of
    a sentence's distinctive numbers is a blocking key, and so is each of them
    alone (a sentence with one figure meets one that adds a date). Crowded keys
    (a year alone, in a large corpus) link nothing. ``key_dnums`` holds an index
    into ``nums_list`` (interned frozensets; 0 is the empty set). Returns sorted
    pair codes (see _pair_codes); keys of more than ``max_bucket`` sentences link
    nothing.
    """
    d_of = key_dnums[signed]
    sel = signed[d_of != 0]
    if not len(sel):
        return np.empty(0, dtype=np.int64)
    vals = d_of[d_of != 0]
    present = np.zeros(len(nums_list), dtype=bool)
    present[vals] = True
    uniq = np.flatnonzero(present)
    inv = (np.cumsum(present) - 1)[vals]
    key_ids: dict[tuple, int] = {}
    kflat: list[int] = []
    koff = [0]
    for u in uniq.tolist():
        d = sorted(nums_list[u])[:MAX_NUMBERS_PER_KEY]
        keys = [(x,) for x in d]
        keys += [(d[x], d[y]) for x in range(len(d)) for y in range(x + 1, len(d))]
        for k in keys:
            kid = key_ids.get(k)
            if kid is None:
                kid = key_ids[k] = len(key_ids)
            kflat.append(kid)
        koff.append(len(kflat))
    idx, lens = _csr_gather(np.array(koff, dtype=np.int64), inv.astype(np.int64))
    ks = np.array(kflat, dtype=np.int64)[idx]
    ids = np.repeat(sel.astype(np.int64), lens)
    a, b = _bucket_pairs(ks, ids, max_bucket)
    return _pair_codes(a, b)


def _estimated_overlap_at_least(
    sigs: np.ndarray, rows_a: np.ndarray, rows_b: np.ndarray, floor: float
) -> np.ndarray:
    """Whether the estimated Jaccard (share of equal MinHash values) reaches ``floor``.

    Counts equal values (no float per value) in cache-sized chunks; the count
    threshold is the smallest count whose share, as a float32, reaches ``floor``.
    """
    width = sigs.shape[1]
    need = next((m for m in range(width + 1) if np.float32(m / width) >= floor), width + 1)
    out = np.empty(len(rows_a), dtype=bool)
    step = 32_768
    for i in range(0, len(rows_a), step):
        eq = sigs[rows_a[i : i + step]] == sigs[rows_b[i : i + step]]
        out[i : i + step] = np.count_nonzero(eq, axis=1) >= need
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


def _overlaps(
    flat: np.ndarray, off: np.ndarray, digit: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sizes of sets a and b, their intersection, and its non-digit part (vectorised).

    Each CSR row holds distinct stem ids in increasing order, so the (pair, stem)
    codes of the a rows and of the b rows are two sorted runs, which a stable
    sort (timsort) merges in linear time; a stem found twice among them is one
    shared stem.
    """
    n = len(a)
    ea, la = _csr_gather(off, a)
    eb, lb = _csr_gather(off, b)
    vocab = np.int64(len(digit))
    pair = np.arange(n, dtype=np.int64)
    code = np.concatenate(
        (np.repeat(pair, la) * vocab + flat[ea], np.repeat(pair, lb) * vocab + flat[eb])
    )
    del ea, eb
    code.sort(kind="stable")
    hit = code[1:][code[1:] == code[:-1]]
    del code
    owner = hit // vocab
    inter = np.bincount(owner, minlength=n)
    inter_words = np.bincount(owner[~digit[hit % vocab]], minlength=n)
    return la, lb, inter, inter_words


def _check_pairs(
    flat: np.ndarray,
    off: np.ndarray,
    digit: np.ndarray,
    key_nums: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    unchecked: np.ndarray | None,
    found: tuple[list, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Exact check of candidate sentence pairs (a[i], b[i]).

    Appends to ``found`` = (sim_a, sim_b, sim_j, edge_a, edge_b) the similar pairs
    (overlap >= ALIGN_FLOOR, for the article alignment) with their overlap, and the
    pairs that state the same claim; pairs where ``unchecked`` is False (already
    checked) add nothing. Returns the same-claim mask and each pair's shared
    non-digit stems.
    """
    la, lb, inter, inter_words = _overlaps(flat, off, digit, a, b)
    j = inter / (la + lb - inter)
    sim = j >= ALIGN_FLOOR
    na, nb = key_nums[a], key_nums[b]
    claim = (na == nb) & (j >= np.where(na != 0, CLAIM_JACCARD_WITH_NUMBERS, CLAIM_JACCARD))
    if unchecked is not None:
        sim &= unchecked
        claim &= unchecked
    sim_a, sim_b, sim_j, edge_a, edge_b = found
    sim_a.append(a[sim])
    sim_b.append(b[sim])
    sim_j.append(j[sim])
    edge_a.append(a[claim])
    edge_b.append(b[claim])
    return claim, inter_words


def _expand(off: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every (member of a, member of b) of each pair: (pair index, row in a, row in b)."""
    sa = off[a + 1] - off[a]
    sb = off[b + 1] - off[b]
    rep = sa * sb
    p = np.repeat(np.arange(len(a), dtype=np.int64), rep)
    local = np.arange(int(rep.sum()), dtype=np.int64) - np.repeat(np.cumsum(rep) - rep, rep)
    return p, off[a][p] + local // sb[p], off[b][p] + local % sb[p]


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected component label per node of the undirected graph (a[i], b[i])."""
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
    return connected_components(graph, directed=False)[1]


def _cluster_corpus(articles: dict[str, list[tuple[int | None, str]]]) -> ClusterResult:
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 2)
        clock[0] = now

    # --- sentences, deduplicated by normalised text --------------------------------
    # Flat integer arrays instead of Python objects per sentence: a distinct
    # sentence is its (hashed) normalised text, its stem ids (CSR: flat + offsets)
    # and interned number sets; each occurrence is (key, article, position, claim).
    art_ids = sorted(articles)
    n_art = len(art_ids)
    key_index: dict[int, int] = {}
    stem_index: dict[str, int] = {}
    word_stem: dict[str, int] = {}  # token -> stem id, -1 for a stop word
    vocab: list[str] = []
    flat = array("i")
    key_off = array("q", [0])
    nums_index: dict[frozenset, int] = {_EMPTY: 0}
    nums_list: list[frozenset] = [_EMPTY]
    key_nums = array("i")
    key_dnums = array("i")
    occ_key, occ_claim = array("i"), array("i")
    article_len = array("i")
    article_text_key: dict[bytes, list[int]] = defaultdict(list)  # full-text hash -> articles
    get_stem = word_stem.get
    for ai, article_id in enumerate(art_ids):
        sentences = articles[article_id]
        article_len.append(len(sentences))
        seq = []
        for claim_index, text in sentences:
            # Every sentence is tokenised; stems and numbers are worked out once
            # per distinct normalised text (from its first occurrence).
            tokens = words(text)
            h = hash(" ".join(tokens))
            idx = key_index.get(h)
            if idx is None:
                idx = key_index[h] = len(key_nums)
                row = set(map(get_stem, tokens))
                if None in row:
                    if len(word_stem) >= 2_000_000:
                        word_stem.clear()
                    for w in tokens:
                        if w not in word_stem:
                            t = stem(w)
                            sid = stem_index.get(t, -1) if t else -1
                            if t and sid < 0:
                                sid = stem_index[t] = len(vocab)
                                vocab.append(t)
                            word_stem[w] = sid
                    row = set(map(get_stem, tokens))
                row.discard(-1)
                flat.extend(row)
                key_off.append(len(flat))
                nums = numbers(text)
                ni = nums_index.get(nums)
                if ni is None:
                    ni = nums_index[nums] = len(nums_list)
                    nums_list.append(nums)
                key_nums.append(ni)
                if nums:
                    d = distinctive_numbers(nums, text)
                    di = nums_index.get(d)
                    if di is None:
                        di = nums_index[d] = len(nums_list)
                        nums_list.append(d)
                    key_dnums.append(di)
                else:
                    key_dnums.append(0)
            occ_key.append(idx)
            occ_claim.append(-1 if claim_index is None else claim_index)
            seq.append(idx)
        if seq:
            article_text_key[hashlib.md5(str(seq).encode()).digest()].append(ai)
    del key_index, stem_index, nums_index, word_stem
    n_keys = len(key_nums)
    n_sentences = len(occ_key)
    flat = np.frombuffer(flat, dtype=np.int32).astype(np.int64)
    key_off = np.frombuffer(key_off, dtype=np.int64).copy()
    key_nums = np.frombuffer(key_nums, dtype=np.int32).copy()
    key_dnums = np.frombuffer(key_dnums, dtype=np.int32).copy()
    digit = np.array([t.isdigit() for t in vocab], dtype=bool)

    # --- informative stems: drop this corpus's own stop words ------------------------
    cap = max(FREQUENT_MIN, FREQUENT_SHARE * n_keys)
    df = np.bincount(flat, minlength=len(vocab))
    keep = df[flat] <= cap
    owner = np.repeat(np.arange(n_keys, dtype=np.int64), np.diff(key_off))
    inf_owner = owner[keep]
    # each row's stem ids in increasing order (see _overlaps)
    vocab_size = np.int64(len(vocab))
    inf_flat = np.sort(inf_owner * vocab_size + flat[keep]) % vocab_size
    del flat, owner, keep, df
    inf_len = np.bincount(inf_owner, minlength=n_keys)
    inf_off = np.concatenate(([0], np.cumsum(inf_len))).astype(np.int64)
    words_len = np.bincount(inf_owner[~digit[inf_flat]], minlength=n_keys)
    del inf_owner

    lap("t_text")
    # --- banded MinHash + number blocking -> candidate sentence pairs ---------------
    signed = np.flatnonzero(inf_len >= MIN_SENTENCE_STEMS).astype(np.int64)
    sigs = _signatures(inf_flat, inf_off, signed, vocab)  # order-independent
    lap("t_signatures")
    # Only pairs whose estimated overlap could reach ALIGN_FLOOR are checked exactly.
    band = _band_pairs(sigs, signed, ESTIMATE_FLOOR)
    del sigs
    by_number = _number_block_pairs(key_dnums, nums_list, signed, number_bucket_cap(n_keys))
    n_candidates = len(band) + len(by_number)
    lap("t_candidates")

    found: tuple[list, ...] = ([], [], [], [], [])  # see _check_pairs
    sim_a, sim_b, sim_j, edge_a, edge_b = found
    linked = 0
    # Number-blocked pairs already checked as band pairs only get the figure test.
    number_in_band = _in_sorted(by_number, band)
    step = 500_000  # bounded chunks of pairs

    for start in range(0, len(band), step):
        a, b = _decode(band[start : start + step])
        claim, _ = _check_pairs(inf_flat, inf_off, digit, key_nums, a, b, None, found)
        linked += int(claim.sum())
    figure_memo: dict[tuple[int, int], tuple[bool, int]] = {}
    for start in range(0, len(by_number), step):
        a, b = _decode(by_number[start : start + step])
        unchecked = ~number_in_band[start : start + step]
        claim, inter_words = _check_pairs(inf_flat, inf_off, digit, key_nums, a, b, unchecked, found)
        linked += int(claim.sum())
        # same_figure_claim, vectorised on the word overlap; the number subset test
        # runs once per pair of distinct number sets.
        overlap = inter_words / np.maximum(1, np.minimum(words_len[a], words_len[b]))
        cand = np.flatnonzero(
            ~claim & (inter_words >= FIGURE_CLAIM_MIN_SHARED) & (overlap >= FIGURE_CLAIM_OVERLAP)
        )
        da, db = key_dnums[a[cand]].tolist(), key_dnums[b[cand]].tolist()
        ok = np.zeros(len(cand), dtype=bool)
        for i, (x, y, ov) in enumerate(zip(da, db, overlap[cand].tolist(), strict=True)):
            r = figure_memo.get((x, y))
            if r is None:
                sx, sy = nums_list[x], nums_list[y]
                small, large = (sx, sy) if len(sx) <= len(sy) else (sy, sx)
                r = figure_memo[(x, y)] = (bool(small) and small <= large, len(small))
            if r[0] and (r[1] >= 2 or ov >= FIGURE_CLAIM_OVERLAP_ONE):
                ok[i] = True
        edge_a.append(a[cand[ok]])
        edge_b.append(b[cand[ok]])
        linked += int(ok.sum())
    del inf_flat, inf_off, figure_memo, found
    empty = np.empty(0, dtype=np.int64)
    sim_a = np.concatenate(sim_a) if sim_a else empty
    sim_b = np.concatenate(sim_b) if sim_b else empty
    sim_j = np.concatenate(sim_j) if sim_j else np.empty(0)
    lap("t_verify")

    # --- occurrences grouped by sentence (CSR) -----------------------------------------
    occ_key = np.frombuffer(occ_key, dtype=np.int32)
    order = np.argsort(occ_key, kind="stable")
    mem_off = np.concatenate(([0], np.cumsum(np.bincount(occ_key, minlength=n_keys))))
    mem_off = mem_off.astype(np.int64)
    # article and position of each occurrence follow from the article lengths
    art_len = np.frombuffer(article_len, dtype=np.int32).astype(np.int64)
    occ_art = np.repeat(np.arange(n_art, dtype=np.int64), art_len)
    mem_art = occ_art[order]
    occ_pos = np.arange(n_sentences, dtype=np.int64) - np.repeat(
        np.cumsum(art_len) - art_len, art_len
    )
    mem_pos = occ_pos.astype(np.int32)[order]
    mem_claim = np.frombuffer(occ_claim, dtype=np.int32)[order]
    del order, occ_key, occ_art, occ_pos, occ_claim, art_len
    mem_size = np.diff(mem_off)

    # --- article pairs: in-order alignment of similar sentences ---------------------
    # Points (article x < article y, position in x, position in y, weight) from
    # verbatim copies of a sentence and from similar sentence pairs.
    verbatim = np.flatnonzero((mem_size > 1) & (mem_size <= MAX_GROUP_FOR_PAIRS))
    small = (mem_size[sim_a] <= MAX_GROUP_FOR_PAIRS) & (mem_size[sim_b] <= MAX_GROUP_FOR_PAIRS)
    pa = np.concatenate((verbatim, sim_a[small]))
    pb = np.concatenate((verbatim, sim_b[small]))
    pw = np.concatenate((np.ones(len(verbatim)), sim_j[small]))
    px, py, ppx, ppy, pww = [], [], [], [], []
    for start in range(0, len(pa), step):
        p, ma, mb = _expand(mem_off, pa[start : start + step], pb[start : start + step])
        xa, xb = mem_art[ma], mem_art[mb]
        ok = xa != xb
        p, ma, mb, xa, xb = p[ok], ma[ok], mb[ok], xa[ok], xb[ok]
        swap = xb < xa
        px.append(np.where(swap, xb, xa))
        py.append(np.where(swap, xa, xb))
        qa, qb = mem_pos[ma], mem_pos[mb]
        ppx.append(np.where(swap, qb, qa))
        ppy.append(np.where(swap, qa, qb))
        pww.append(pw[start : start + step][p])
    del pa, pb, pw
    if px:
        code = np.concatenate(px) * np.int64(n_art) + np.concatenate(py)
        ppx, ppy, pww = np.concatenate(ppx), np.concatenate(ppy), np.concatenate(pww)
    else:
        code, ppx, ppy, pww = empty, empty, empty, np.empty(0)
    del px, py
    order = np.argsort(code)  # alignment_score sorts each pair's points itself
    code = code[order]
    starts = (
        np.concatenate(([0], np.flatnonzero(code[1:] != code[:-1]) + 1)) if len(code) else empty
    )
    sizes = np.diff(np.concatenate((starts, [len(code)]))).astype(np.int64)
    n_points = len(starts)
    busy = np.flatnonzero(sizes >= REWRITE_MIN_ALIGNED)
    if len(busy):
        # A chain weighs at most all of a pair's points: pairs whose total weight
        # over the shorter article cannot reach REWRITE_SCORE (most pairs of
        # articles that merely share a few similar sentences) skip the alignment.
        total = np.add.reduceat(pww[order], starts)[busy]
        x_of, y_of = np.divmod(code[starts[busy]], np.int64(n_art))
        art_len_np = np.frombuffer(article_len, dtype=np.int32)
        shorter = np.minimum(art_len_np[x_of], art_len_np[y_of])
        reach = total >= REWRITE_SCORE * (1 - 1e-9) * np.maximum(shorter, 1)
        busy = busy[reach & (shorter > 0)]
        del total, x_of, y_of, shorter, reach
    rew_a, rew_b = [], []
    rewrites = 0
    lens = article_len.tolist()
    if len(busy):
        rows, _ = _csr_gather(np.concatenate((starts, [len(code)])).astype(np.int64), busy)
        rows = order[rows]
        xs, ys, ws = ppx[rows].tolist(), ppy[rows].tolist(), pww[rows].tolist()
        pair_codes = code[starts[busy]].tolist()
        k = 0
        for pc, size in zip(pair_codes, sizes[busy].tolist(), strict=True):
            pts = list(zip(xs[k : k + size], ys[k : k + size], ws[k : k + size], strict=True))
            k += size
            x, y = divmod(pc, n_art)
            score, aligned = alignment_score(pts, lens[x], lens[y])
            if score >= REWRITE_SCORE and aligned >= REWRITE_MIN_ALIGNED:
                rew_a.append(x)
                rew_b.append(y)
                rewrites += 1
    del code, order, ppx, ppy, pww, starts, sizes, busy
    lap("t_align")

    # --- exact copies (same sentences, possibly in more articles than any cap) -------
    copies = 0
    for group in article_text_key.values():
        for other in group[1:]:
            rew_a.append(group[0])
            rew_b.append(other)
            copies += 1
    del article_text_key
    art_label = _components(n_art, np.array(rew_a, dtype=np.int64), np.array(rew_b, dtype=np.int64))
    # The root of a rewrite cluster is its smallest article id (articles are sorted).
    art_root = np.full(art_label.max() + 1 if n_art else 0, n_art, dtype=np.int64)
    np.minimum.at(art_root, art_label, np.arange(n_art, dtype=np.int64))
    art_root = art_root[art_label]

    # --- claims of one rewrite cluster: aligned sentences stating the same numbers ---
    edge_a = np.concatenate(edge_a) if edge_a else empty
    edge_b = np.concatenate(edge_b) if edge_b else empty
    claim_label = _components(n_keys, edge_a, edge_b)
    na = key_nums[sim_a]
    cand = np.flatnonzero(
        (na != 0) & (na == key_nums[sim_b]) & (claim_label[sim_a] != claim_label[sim_b])
    )
    ca, cb = sim_a[cand], sim_b[cand]
    extra_a, extra_b = [], []
    for start in range(0, len(ca), step):
        a, b = ca[start : start + step], cb[start : start + step]
        p, ma, mb = _expand(mem_off, a, b)
        hit = _distinct(p[art_root[mem_art[ma]] == art_root[mem_art[mb]]])
        extra_a.append(a[hit])
        extra_b.append(b[hit])
        linked += len(hit)
    if extra_a:
        claim_label = _components(
            n_keys,
            np.concatenate([edge_a, *extra_a]),
            np.concatenate([edge_b, *extra_b]),
        )
    del edge_a, edge_b, sim_a, sim_b, sim_j

    # --- claim clusters ------------------------------------------------------------
    # Id of a claim cluster: its smallest (article_id, claim_index).
    is_claim = mem_claim >= 0
    occ_lab = np.repeat(claim_label, mem_size)[is_claim]
    c_art = mem_art[is_claim]
    c_idx = mem_claim[is_claim].astype(np.int64)
    del mem_art, mem_pos, mem_claim, is_claim
    order = np.lexsort((c_idx, c_art, occ_lab))
    first = np.ones(len(order), dtype=bool)
    first[1:] = occ_lab[order][1:] != occ_lab[order][:-1]
    heads = order[first]
    cid_of_label: dict[int, str] = {
        lab: stable_id(art_ids[x], ci)
        for lab, x, ci in zip(
            occ_lab[heads].tolist(), c_art[heads].tolist(), c_idx[heads].tolist(), strict=True
        )
    }
    n_claim_clusters = len(cid_of_label)
    claim_clusters: dict[tuple[str, int], str] = {
        (art_ids[x], ci): cid_of_label[lab]
        for x, ci, lab in zip(c_art.tolist(), c_idx.tolist(), occ_lab.tolist(), strict=True)
    }
    del cid_of_label, order, first, heads

    art_root_l = art_root.tolist()
    article_clusters = {aid: stable_id(art_ids[art_root_l[i]]) for i, aid in enumerate(art_ids)}
    stats = {
        "articles": n_art,
        "sentences": n_sentences,
        "distinct_sentences": n_keys,
        "sentence_candidate_pairs": n_candidates,
        "claim_pairs_linked": linked,
        "claim_clusters": n_claim_clusters,
        "article_pairs_examined": n_points,
        "rewrite_pairs": rewrites,
        "exact_copy_pairs": copies,
        "rewrite_clusters": len(set(art_root_l)),
        "band_pairs": len(band),
        "number_pairs": len(by_number),
        **timings,
    }
    return ClusterResult(article_clusters, claim_clusters, stats)
