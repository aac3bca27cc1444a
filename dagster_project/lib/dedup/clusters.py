"""Rewrite clusters of articles and paraphrase clusters of claims, without all-pairs comparison.

How it scales: every distinct sentence gets a MinHash signature of its
informative content-word stems (datasketch's permutation scheme, computed for a
whole batch at once with numpy); signatures are cut into bands and only
sentences that share a band bucket are compared (set overlap). Buckets more
crowded than a cap (boilerplate, stock phrases) and stems found in a large share
of all sentences (the corpus's own stop words, e.g. 'Russia' in a corpus about
Russia) link nothing. Article pairs are only examined through the sentence pairs
found that way. Cost grows with the number of sentences, not with its square.

- Claims: verbatim copies (same normalised text) share a cluster; so do
  paraphrases whose stems overlap enough and that state the same numbers.
- Articles: a pair is a rewrite when the sentences of the shorter one can be
  aligned, in order, with similar sentences of the other (a paraphrase written
  sentence by sentence keeps the order), or when the two texts share most of
  their word shingles (near-copies; an article-level datasketch MinHashLSH).
- Ids: md5 of the smallest member, so the same content always gets the same id.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32

from .text import content_stems, normalised_key, numbers

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
SHINGLE_SIZE = 4
NEAR_COPY_JACCARD = 0.5


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


def _minhash(tokens: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([t.encode() for t in tokens])
    return m


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


def _signatures(token_lists: list[list[str]]) -> np.ndarray:
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
    token_values = np.bitwise_and((np.outer(hv, a) + b) % _MERSENNE, _MAX_HASH).astype(np.uint32)
    out = np.empty((len(token_lists), NUM_PERM), dtype=np.uint32)
    flat_arr = np.array(flat, dtype=np.int64)
    off = np.array(offsets + [len(flat)], dtype=np.int64)
    step = 50_000
    for start in range(0, len(token_lists), step):
        stop = min(start + step, len(token_lists))
        lo, hi = off[start], off[stop]
        out[start:stop] = np.minimum.reduceat(token_values[flat_arr[lo:hi]], off[start:stop] - lo)
    return out


def _band_pairs(signatures: np.ndarray, ids: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of ids that share a band bucket of at most MAX_BUCKET members."""
    pairs: set[tuple[int, int]] = set()
    if len(ids) < 2:
        return pairs
    mix = np.uint64(0x9E3779B97F4A7C15)
    sig = signatures.astype(np.uint64)
    for band in range(BANDS):
        cols = sig[:, band * ROWS : (band + 1) * ROWS]
        keys = cols[:, 0]
        for r in range(1, ROWS):
            keys = keys * mix ^ cols[:, r]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        bounds = np.flatnonzero(np.diff(sorted_keys)) + 1
        starts = np.concatenate(([0], bounds))
        sizes = np.diff(np.concatenate((starts, [len(sorted_keys)])))
        for st, size in zip(
            starts[(sizes > 1) & (sizes <= MAX_BUCKET)],
            sizes[(sizes > 1) & (sizes <= MAX_BUCKET)],
            strict=True,
        ):
            members = sorted(ids[order[st : st + size]].tolist())
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    pairs.add((members[x], members[y]))
    return pairs


def cluster_corpus(articles: dict[str, list[tuple[int | None, str]]]) -> ClusterResult:
    """Cluster articles and claims.

    ``articles`` maps article_id to its sentences as (claim_index, text); a
    claim_index of None marks a sentence used for article similarity only.
    """
    # --- sentences, deduplicated by normalised text --------------------------------
    key_index: dict[str, int] = {}
    key_members: list[list[tuple[str, int, int | None]]] = []  # (article, position, claim)
    key_stems: list[list[str]] = []
    key_nums: list[frozenset] = []
    article_len: dict[str, int] = {}
    for article_id in sorted(articles):
        sentences = articles[article_id]
        article_len[article_id] = len(sentences)
        for position, (claim_index, text) in enumerate(sentences):
            k = normalised_key(text)
            idx = key_index.get(k)
            if idx is None:
                idx = key_index[k] = len(key_members)
                key_members.append([])
                key_stems.append(sorted(set(content_stems(text))))
                key_nums.append(numbers(text))
            key_members[idx].append((article_id, position, claim_index))

    # --- informative stems: drop this corpus's own stop words ------------------------
    df = Counter(t for stems in key_stems for t in stems)
    cap = max(FREQUENT_MIN, FREQUENT_SHARE * len(key_stems))
    informative = [frozenset(t for t in stems if df[t] <= cap) for stems in key_stems]

    # --- banded MinHash -> candidate sentence pairs -> verified similar pairs --------
    signed = [i for i, s in enumerate(informative) if len(s) >= MIN_SENTENCE_STEMS]
    sigs = _signatures([sorted(informative[i]) for i in signed])
    candidates = _band_pairs(sigs, np.array(signed, dtype=np.int64))
    # Blocking on the exact set of numbers a sentence states: factual claims
    # ('1,700 UAVs since August 2022') keep their numbers when paraphrased.
    by_numbers: dict[frozenset, list[int]] = defaultdict(list)
    for idx in signed:
        if key_nums[idx]:
            by_numbers[key_nums[idx]].append(idx)
    for group in by_numbers.values():
        if 1 < len(group) <= MAX_BUCKET:
            for x in range(len(group)):
                for y in range(x + 1, len(group)):
                    candidates.add((group[x], group[y]))
    similar: list[tuple[int, int, float]] = []
    claim_uf = _UnionFind()
    linked = 0
    for a, b in candidates:
        j = _jaccard(informative[a], informative[b])
        if j >= ALIGN_FLOOR:
            similar.append((a, b, j))
        if same_claim(informative[a], key_nums[a], informative[b], key_nums[b]):
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

    # --- near-copies: article-level shingle LSH -------------------------------------
    near_copies = _near_copy_pairs(articles)
    for x, y in near_copies:
        article_uf.union(x, y)

    article_clusters = {aid: stable_id(article_uf.find(aid)) for aid in articles}
    stats = {
        "articles": len(articles),
        "sentences": sum(article_len.values()),
        "distinct_sentences": len(key_members),
        "sentence_candidate_pairs": len(candidates),
        "claim_pairs_linked": linked,
        "claim_clusters": len(set(claim_clusters.values())),
        "article_pairs_examined": len(points),
        "rewrite_pairs": rewrites,
        "near_copy_pairs": len(near_copies),
        "rewrite_clusters": len(set(article_clusters.values())),
    }
    return ClusterResult(article_clusters, claim_clusters, stats)


def _near_copy_pairs(articles: dict[str, list[tuple[int | None, str]]]) -> set[tuple[str, str]]:
    lsh = MinHashLSH(threshold=NEAR_COPY_JACCARD, num_perm=NUM_PERM)
    sigs: dict[str, MinHash] = {}
    for aid in sorted(articles):
        words = normalised_key(" ".join(t for _, t in articles[aid])).split()
        n_shingles = len(words) - SHINGLE_SIZE + 1
        shingles = {" ".join(words[i : i + SHINGLE_SIZE]) for i in range(n_shingles)}
        if len(shingles) < 5:
            continue
        sigs[aid] = _minhash(shingles)
        lsh.insert(aid, sigs[aid], check_duplication=False)
    pairs = set()
    for aid, sig in sigs.items():
        for other in lsh.query(sig):
            if other > aid and sig.jaccard(sigs[other]) >= NEAR_COPY_JACCARD:
                pairs.add((aid, other))
    return pairs
