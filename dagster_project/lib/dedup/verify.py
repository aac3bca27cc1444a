"""Exact check of candidate sentence pairs: similar (for alignment) and same claim.

The rules are stated once on Python sets (:func:`same_claim`,
:func:`same_figure_claim`, the reference the tests hold the vectorised code
to) and run vectorised on CSR rows of stem ids over chunks of pairs.

- similar: stem overlap (Jaccard) of at least ALIGN_FLOOR; such pairs feed
  the in-order alignment of articles (:mod:`.align`).
- same claim: the same numbers and enough overlap, or a paraphrase restating
  the same distinctive figure(s) with enough shared content words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .corpus import InformativeStems
from .pairs import csr_gather, decode, in_sorted
from .threads import ordered_map, workers

# Claims: same numbers and this overlap, or no numbers and the higher one.
CLAIM_JACCARD_WITH_NUMBERS = 0.3
CLAIM_JACCARD = 0.5
# Articles: in-order alignment of sentence pairs with at least ALIGN_FLOOR
# overlap, each weighted by its overlap, over the shorter article's length.
ALIGN_FLOOR = 0.2
# Same figure(s) in other words: shared content words besides the numbers, and
# their share of the shorter sentence's (two figures, or only one).
FIGURE_CLAIM_MIN_SHARED = 3
FIGURE_CLAIM_OVERLAP = 0.25
FIGURE_CLAIM_OVERLAP_ONE = 0.5
# Pairs checked at once: each pair expands to its two stem rows (about 30 ids, 8-byte
# codes, sorted), so a chunk's working memory is about 0.8 KB a pair; 150,000 pairs keep
# it near 120 MB (500,000 made this stage the clustering's peak).
VERIFY_CHUNK = 150_000


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


def overlaps(
    flat: np.ndarray, off: np.ndarray, digit: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sizes of sets a and b, their intersection, and its non-digit part (vectorised).

    Each CSR row holds distinct stem ids in increasing order, so the (pair, stem)
    codes of the a rows and of the b rows are two sorted runs, which a stable
    sort (timsort) merges in linear time; a stem found twice among them is one
    shared stem.
    """
    n = len(a)
    ea, la = csr_gather(off, a)
    eb, lb = csr_gather(off, b)
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


def check_pairs(
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
    la, lb, inter, inter_words = overlaps(flat, off, digit, a, b)
    j = inter / (la + lb - inter)
    sim = j >= ALIGN_FLOOR
    na, nb = key_nums[a], key_nums[b]
    claim = (na == nb) & (j >= np.where(na != 0, CLAIM_JACCARD_WITH_NUMBERS, CLAIM_JACCARD))
    if unchecked is not None:
        sim &= unchecked
        claim &= unchecked
    sim_a, sim_b, sim_j, edge_a, edge_b = found
    # sentence ids fit 32 bits: half the memory of the pairs kept for the later stages
    sim_a.append(a[sim].astype(np.int32))
    sim_b.append(b[sim].astype(np.int32))
    sim_j.append(j[sim])
    edge_a.append(a[claim].astype(np.int32))
    edge_b.append(b[claim].astype(np.int32))
    return claim, inter_words


@dataclass
class VerifiedPairs:
    """What the exact checks found among the candidate sentence pairs."""

    sim_a: np.ndarray  # similar pairs (overlap >= ALIGN_FLOOR) ...
    sim_b: np.ndarray
    sim_j: np.ndarray  # ... and their overlap
    edge_a: np.ndarray  # pairs stating the same claim
    edge_b: np.ndarray
    linked: int  # same-claim pairs found


def _same_figure(
    words_len: np.ndarray,
    key_dnums: np.ndarray,
    nums_list: list,
    a: np.ndarray,
    b: np.ndarray,
    claim: np.ndarray,
    inter_words: np.ndarray,
    memo: dict[tuple[int, int], tuple[bool, int]],
) -> np.ndarray:
    """Indices of the pairs (not already same-claim) that restate the same figure(s).

    same_figure_claim, vectorised on the word overlap; the number subset test runs
    once per pair of distinct number sets (``memo``).
    """
    overlap = inter_words / np.maximum(1, np.minimum(words_len[a], words_len[b]))
    cand = np.flatnonzero(
        ~claim & (inter_words >= FIGURE_CLAIM_MIN_SHARED) & (overlap >= FIGURE_CLAIM_OVERLAP)
    )
    da, db = key_dnums[a[cand]].tolist(), key_dnums[b[cand]].tolist()
    ok = np.zeros(len(cand), dtype=bool)
    for i, (x, y, ov) in enumerate(zip(da, db, overlap[cand].tolist(), strict=True)):
        r = memo.get((x, y))
        if r is None:
            sx, sy = nums_list[x], nums_list[y]
            small, large = (sx, sy) if len(sx) <= len(sy) else (sy, sx)
            r = memo[(x, y)] = (bool(small) and small <= large, len(small))
        if r[0] and (r[1] >= 2 or ov >= FIGURE_CLAIM_OVERLAP_ONE):
            ok[i] = True
    return cand[ok]


def verify_candidates(
    stems: InformativeStems,
    key_nums: np.ndarray,
    key_dnums: np.ndarray,
    nums_list: list,
    band: np.ndarray,
    by_number: np.ndarray,
) -> VerifiedPairs:
    """Check the band pairs, then the number-blocked pairs (sorted pair codes).

    Number-blocked pairs already checked as band pairs only get the figure test.
    """
    flat, off, digit = stems.flat, stems.off, stems.digit
    found: tuple[list, ...] = ([], [], [], [], [])  # see check_pairs
    linked = 0
    number_in_band = in_sorted(by_number, band)
    # bounded chunks of pairs, smaller when several run at once (the same memory)
    step = max(10_000, VERIFY_CHUNK // workers())
    figure_memo: dict[tuple[int, int], tuple[bool, int]] = {}  # (shared: values are fixed)

    def band_chunk(start: int) -> tuple[tuple[list, ...], int]:
        mine: tuple[list, ...] = ([], [], [], [], [])
        a, b = decode(band[start : start + step])
        claim, _ = check_pairs(flat, off, digit, key_nums, a, b, None, mine)
        return mine, int(claim.sum())

    def number_chunk(start: int) -> tuple[tuple[list, ...], int]:
        mine: tuple[list, ...] = ([], [], [], [], [])
        a, b = decode(by_number[start : start + step])
        unchecked = ~number_in_band[start : start + step]
        claim, inter_words = check_pairs(flat, off, digit, key_nums, a, b, unchecked, mine)
        same = _same_figure(
            stems.words_len, key_dnums, nums_list, a, b, claim, inter_words, figure_memo
        )
        mine[3].append(a[same].astype(np.int32))
        mine[4].append(b[same].astype(np.int32))
        return mine, int(claim.sum()) + len(same)

    # chunks on threads, their pairs kept in chunk order (the same whatever the threads)
    for chunk_fn, codes in ((band_chunk, band), (number_chunk, by_number)):
        for mine, n_linked in ordered_map(chunk_fn, range(0, len(codes), step)):
            for acc, part in zip(found, mine, strict=True):
                acc.extend(part)
            linked += n_linked
    empty = np.empty(0, dtype=np.int64)
    sim_a, sim_b, sim_j, edge_a, edge_b = found
    return VerifiedPairs(
        sim_a=np.concatenate(sim_a) if sim_a else empty,
        sim_b=np.concatenate(sim_b) if sim_b else empty,
        sim_j=np.concatenate(sim_j) if sim_j else np.empty(0),
        edge_a=np.concatenate(edge_a) if edge_a else empty,
        edge_b=np.concatenate(edge_b) if edge_b else empty,
        linked=linked,
    )
