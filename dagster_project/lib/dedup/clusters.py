"""Rewrite clusters of articles and paraphrase clusters of claims, without all-pairs comparison.

How it scales: every distinct sentence gets a MinHash of its content-word stems
and goes into one MinHash LSH index (datasketch); only sentences that collide in
a band are compared (rapidfuzz / set overlap), and only article pairs that share
colliding sentences are aligned. Cost grows with the number of sentences, not
with its square.

- Claims: verbatim copies (same normalised text) share a cluster; so do
  paraphrases whose stems overlap enough and that state the same numbers.
- Articles: a pair is a rewrite when the sentences of the shorter one can be
  aligned, in order, with similar sentences of the other (a paraphrase written
  sentence by sentence keeps the order), or when the two texts share most of
  their word shingles (near-copies; a second, article-level LSH index).
- Ids: md5 of the smallest member, so the same content always gets the same id.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process

from .text import content_stems, normalised_key, numbers

log = logging.getLogger(__name__)

NUM_PERM = 64
SENTENCE_LSH_THRESHOLD = 0.3  # recall for paraphrased sentences (stem Jaccard ~0.3-0.5)
MIN_SENTENCE_STEMS = 4  # shorter sentences are too generic to link anything
MAX_CANDIDATES_PER_SENTENCE = 200  # a bucket this crowded is boilerplate, not a rewrite
# Claims: same numbers and this overlap, or no numbers and the higher one.
CLAIM_JACCARD_WITH_NUMBERS = 0.3
CLAIM_JACCARD = 0.5
# Articles: monotone sentence alignment, scored on token_set_ratio above a floor.
ALIGN_FLOOR = 55.0
ALIGN_STRONG = 70.0
REWRITE_SCORE = 0.12  # aligned weight / sentences of the shorter article
REWRITE_MIN_STRONG = 2  # at least this many well-matched sentence pairs
MAX_ARTICLE_CANDIDATES = 25  # per article, best by number of colliding sentences
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


def alignment_score(a: list[str], b: list[str]) -> tuple[float, int]:
    """Best in-order alignment of two articles' sentences (stem strings).

    Returns (score, strong): score is the summed weight of the best monotone
    alignment (weights rise from 0 at the floor similarity to 1 at identity)
    divided by the shorter article's sentence count; strong counts sentences of
    the shorter article with a well-matched partner.
    """
    if not a or not b:
        return 0.0, 0
    sim = process.cdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32)
    w = np.clip((sim - ALIGN_FLOOR) / (100.0 - ALIGN_FLOOR), 0.0, None)
    # Row by row: D[i, j] = max(D[i-1, j], D[i, j-1], D[i-1, j-1] + w[i-1, j-1]).
    prev = np.zeros(len(b) + 1, dtype=np.float64)
    for i in range(len(a)):
        t = np.empty_like(prev)
        t[0] = prev[0]
        t[1:] = np.maximum(prev[1:], prev[:-1] + w[i])
        prev = np.maximum.accumulate(t)
    axis = 1 if len(a) <= len(b) else 0
    strong = int((sim.max(axis=axis) >= ALIGN_STRONG).sum())
    return float(prev[-1]) / min(len(a), len(b)), strong


def cluster_corpus(articles: dict[str, list[tuple[int | None, str]]]) -> ClusterResult:
    """Cluster articles and claims.

    ``articles`` maps article_id to its sentences as (claim_index, text); a
    claim_index of None marks a sentence used for article similarity only.
    """
    # --- sentences, deduplicated by normalised text --------------------------------
    key_index: dict[str, int] = {}
    key_members: list[list[tuple[str, int | None]]] = []
    key_stems: list[frozenset] = []
    key_nums: list[frozenset] = []
    article_keys: dict[str, list[int]] = {}
    for article_id in sorted(articles):
        keys = []
        for claim_index, text in articles[article_id]:
            k = normalised_key(text)
            idx = key_index.get(k)
            if idx is None:
                idx = key_index[k] = len(key_members)
                key_members.append([])
                key_stems.append(frozenset(content_stems(text)))
                key_nums.append(numbers(text))
            key_members[idx].append((article_id, claim_index))
            keys.append(idx)
        article_keys[article_id] = keys
    stem_strings = [" ".join(sorted(s)) for s in key_stems]

    # --- sentence LSH -> candidate sentence pairs ----------------------------------
    lsh = MinHashLSH(threshold=SENTENCE_LSH_THRESHOLD, num_perm=NUM_PERM)
    signatures: dict[int, MinHash] = {}
    for idx, stems in enumerate(key_stems):
        if len(stems) >= MIN_SENTENCE_STEMS:
            signatures[idx] = _minhash(set(stems))
            lsh.insert(idx, signatures[idx], check_duplication=False)
    candidate_pairs: set[tuple[int, int]] = set()
    for idx, sig in signatures.items():
        hits = lsh.query(sig)
        if len(hits) > MAX_CANDIDATES_PER_SENTENCE:
            continue
        for other in hits:
            if other > idx:
                candidate_pairs.add((idx, other))

    # --- claim clusters ------------------------------------------------------------
    claim_uf = _UnionFind()
    verified = 0
    for a, b in candidate_pairs:
        if same_claim(key_stems[a], key_nums[a], key_stems[b], key_nums[b]):
            claim_uf.union(a, b)
            verified += 1
    group_members: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for idx, members in enumerate(key_members):
        root = claim_uf.find(idx)
        group_members[root].extend(m for m in members if m[1] is not None)
    claim_clusters: dict[tuple[str, int], str] = {}
    for members in group_members.values():
        if members:
            cid = stable_id(*min(members))
            for m in members:
                claim_clusters[m] = cid

    # --- article candidates: articles whose sentences collide ----------------------
    key_articles = [sorted({aid for aid, _ in members}) for members in key_members]
    pair_hits: Counter = Counter()
    for a, b in candidate_pairs:
        for x in key_articles[a]:
            for y in key_articles[b]:
                if x != y:
                    pair_hits[(min(x, y), max(x, y))] += 1
    for members in key_articles:  # verbatim shared sentences
        for i, x in enumerate(members):
            for y in members[i + 1 : i + 1 + MAX_ARTICLE_CANDIDATES]:
                pair_hits[(x, y)] += 1
    per_article: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (x, y), n in pair_hits.items():
        per_article[x].append((n, y))
        per_article[y].append((n, x))
    article_pairs: set[tuple[str, str]] = set()
    for x, lst in per_article.items():
        lst.sort(key=lambda t: (-t[0], t[1]))
        for n, y in lst[:MAX_ARTICLE_CANDIDATES]:
            short = min(len(article_keys[x]), len(article_keys[y]))
            if n >= 2 or short <= 3:
                article_pairs.add((min(x, y), max(x, y)))

    article_uf = _UnionFind()
    for aid in articles:
        article_uf.find(aid)
    rewrites = 0
    for x, y in sorted(article_pairs):
        sa = [stem_strings[k] for k in article_keys[x]]
        sb = [stem_strings[k] for k in article_keys[y]]
        score, strong = alignment_score(sa, sb)
        if score >= REWRITE_SCORE and strong >= REWRITE_MIN_STRONG:
            article_uf.union(x, y)
            rewrites += 1

    # --- near-copies: article-level shingle LSH -------------------------------------
    near_copies = _near_copy_pairs(articles)
    for x, y in near_copies:
        article_uf.union(x, y)

    article_clusters = {aid: stable_id(article_uf.find(aid)) for aid in articles}
    stats = {
        "articles": len(articles),
        "sentences": sum(len(v) for v in articles.values()),
        "distinct_sentences": len(key_members),
        "sentence_candidate_pairs": len(candidate_pairs),
        "claim_pairs_linked": verified,
        "claim_clusters": len(set(claim_clusters.values())),
        "article_candidate_pairs": len(article_pairs),
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
