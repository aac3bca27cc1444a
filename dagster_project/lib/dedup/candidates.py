"""Candidate sentence pairs without all-pairs comparison: banded MinHash and number blocking.

Every distinct sentence with enough informative stems gets a MinHash signature
(datasketch's permutation scheme, computed for a whole batch at once with
numpy); signatures are cut into bands and only sentences that share a band
bucket become candidates. Buckets more crowded than MAX_BUCKET (boilerplate,
stock phrases) link nothing. Sentences are also blocked on their distinctive
numbers (each pair of figures and years a sentence states), so a paraphrase
that keeps '1,700 UAVs since August 2022' but adds a list of models is still
compared. Both return sorted pair codes (:mod:`.pairs`).
"""

from __future__ import annotations

from hashlib import blake2b

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from .pairs import (
    PAIR_CHUNK,
    bucket_pairs,
    csr_gather,
    decode,
    drop_repeats,
    merge_codes,
    pair_codes,
)
from .threads import ordered_map

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)

NUM_PERM = 96
# P(candidate) = 1 - (1 - J**3)**32: 0.58 at J = 0.3, 0.87 at J = 0.4, 0.03 at J = 0.1
BANDS, ROWS = 32, 3
MIN_SENTENCE_STEMS = 3  # shorter sentences are too generic to link anything
MAX_BUCKET = 20  # a band bucket this crowded is boilerplate or a stock phrase
# Candidate pairs whose MinHash-estimated overlap is below this are not checked.
ESTIMATE_FLOOR = 0.15
# Number blocking: keys from at most this many distinctive numbers of a sentence,
# and a key shared by more than MAX_NUMBER_BUCKET distinct sentences is too common
# to link anything. The cap is fixed, not a share of the corpus: a sentence's
# candidates then depend only on the buckets it is in, so the clustering can be
# updated from the changed articles (:mod:`.incremental`). 120 bounds the pairs to
# 59.5 per key entry and keeps a figure restated by a hundred sentences linked
# (a cap of 30 switched number blocking off for common figures in a large corpus).
MAX_NUMBERS_PER_KEY = 6
MAX_NUMBER_BUCKET = 120


# Signature values are kept to their low SIGNATURE_BITS bits: the band keys and the
# estimated overlap only compare values for equality, and equal values stay equal
# (an unequal pair looks equal with probability 2**-16 per value, which can only add
# a candidate, checked exactly anyway). Half the memory of 32-bit values: 4 million
# distinct sentences' signatures take 0.77 GB instead of 1.5 GB.
SIGNATURE_DTYPE = np.uint16


def signatures(flat: np.ndarray, off: np.ndarray, rows: np.ndarray, vocab: list) -> np.ndarray:
    """MinHash signatures (datasketch's hash and permutations) of CSR rows ``rows``,
    each value truncated to SIGNATURE_DTYPE.

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
    out = np.empty((len(rows), NUM_PERM), dtype=SIGNATURE_DTYPE)
    step = 100_000

    def fill(start: int) -> None:  # one block of rows (threads write disjoint blocks)
        idx, lens = csr_gather(off, rows[start : start + step])
        tokens = flat[idx].astype(np.intp)  # (once: an int32 index is converted per take)
        seg = np.cumsum(lens) - lens
        values = np.empty(len(tokens), dtype=np.uint32)
        for p in range(NUM_PERM):
            np.take(token_values[p], tokens, out=values)
            # the minimum over the full 32-bit values, then truncated (an assignment cast)
            out[start : start + len(lens), p] = np.minimum.reduceat(values, seg)

    for _ in ordered_map(fill, range(0, len(rows), step)):
        pass
    return out


_MIX = np.uint64(0x9E3779B97F4A7C15)


def band_keys(signatures: np.ndarray, band: int) -> np.ndarray:
    """The bucket key (int64) of every row in one band; keys of different bands differ
    (the band number seeds the hash), so (band, key) is just the key."""
    cols = signatures[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
    with np.errstate(over="ignore"):
        keys = np.full(len(cols), np.uint64(band + 1) * _MIX, dtype=np.uint64) ^ cols[:, 0]
        for r in range(1, ROWS):
            keys = keys * _MIX ^ cols[:, r]
    return keys.view(np.int64)


def band_pairs(signatures: np.ndarray, ids: np.ndarray, floor: float = 0.0,
               sink=None) -> np.ndarray:
    """Distinct pairs of ids that share a band bucket of at most MAX_BUCKET members.

    ``ids[k]`` (increasing) is the sentence behind ``signatures[k]``. Returns the
    sorted codes of the pairs (see pairs.pair_codes). Pairs whose estimated Jaccard
    (share of equal MinHash values) is below ``floor`` are dropped band by band,
    and each band's pairs are kept as 8-byte codes, merged like a binary counter
    (two sets of about equal size at a time), so memory stays bounded by the
    distinct plausible pairs and merging costs O(pairs * log(BANDS)).
    """
    return merge_levels(band_levels(signatures, ids, floor, sink), ids)


def band_levels(signatures: np.ndarray, ids: np.ndarray, floor: float = 0.0,
                sink=None) -> list[tuple[int, np.ndarray]]:
    """:func:`band_pairs` up to the last merges: the levels of the binary counter, as
    (level, sorted distinct row-pair codes). The caller can free the signatures before
    :func:`merge_levels`, the stage's peak (the pairs of every level at once)."""
    if sink is not None:  # the index gets every band key (lib.dedup.index)
        for band in range(BANDS):
            sink(band_keys(signatures, band), ids)
    levels: list[tuple[int, np.ndarray]] = []  # (level, sorted distinct codes)
    if len(ids) < 2:
        return levels
    # about 4 slots per row, at most 2**24 (a 128 MB count table)
    low_mask = np.uint64((1 << min(24, max(10, (4 * len(ids)).bit_length()))) - 1)

    def one_band(band: int) -> np.ndarray:
        keys = band_keys(signatures, band)
        # Most sentences are alone in their bucket: only rows whose key may occur
        # twice or more (its low bits do) are grouped, by their whole key.
        low = (keys.view(np.uint64) & low_mask).astype(np.int64)
        rows = np.flatnonzero(np.bincount(low, minlength=int(low_mask) + 1)[low] > 1)
        a, b = bucket_pairs(keys[rows], rows, MAX_BUCKET)
        del keys, low, rows
        if floor > 0 and len(a):
            ok = estimated_overlap_at_least(signatures, a, b, floor)
            a, b = a[ok], b[ok]
        return pair_codes(a, b)

    # Bands one at a time: each holds a count table and its pairs (hundreds of MB at
    # 100,000 articles), and two at once raised the clustering's peak by a GB; the
    # estimate inside a band runs on threads instead.
    for codes in map(one_band, range(BANDS)):
        level = 0
        while levels and levels[-1][0] == level:
            codes = merge_codes(levels.pop()[1], codes)
            level += 1
        levels.append((level, codes))
    return levels


def merge_levels(levels: list[tuple[int, np.ndarray]], ids: np.ndarray) -> np.ndarray:
    """The sorted distinct pair codes of ``band_levels``'s levels, in sentence ids
    (emptied: the levels' arrays are freed as they are merged)."""
    # The last levels in one concatenation: timsort merges their sorted runs in place,
    # so the peak is twice the pairs, not the three copies of pairwise merges.
    kept = np.concatenate([codes for _, codes in levels]) if levels else np.empty(0, np.int64)
    levels.clear()
    kept.sort(kind="stable")
    kept = drop_repeats(kept)
    # ids increase with the row, so the codes stay sorted when mapped to ids; mapped in
    # place, chunk by chunk (tens of millions of pairs in a large corpus)
    for start in range(0, len(kept), PAIR_CHUNK):
        a, b = decode(kept[start : start + PAIR_CHUNK])
        kept[start : start + PAIR_CHUNK] = ids[a] * np.int64(1 << 32) + ids[b]
    return kept


def number_key_hash(numbers: tuple[str, ...]) -> int:
    """Stable signed 64-bit key of one number key (a figure, or a pair of them)."""
    return int.from_bytes(
        blake2b("\x1f".join(numbers).encode(), digest_size=8).digest(), "little", signed=True
    )


def number_keys(dnums: frozenset) -> list[int]:
    """The blocking keys of a sentence's distinctive numbers: each of them, and each pair,
    from at most MAX_NUMBERS_PER_KEY of them."""
    d = sorted(dnums)[:MAX_NUMBERS_PER_KEY]
    keys = [(x,) for x in d]
    keys += [(d[x], d[y]) for x in range(len(d)) for y in range(x + 1, len(d))]
    return [number_key_hash(k) for k in keys]


def number_key_rows(
    key_dnums: np.ndarray, nums_list: list, signed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(number key, sentence) of every signed sentence with distinctive numbers."""
    d_of = key_dnums[signed]
    sel = signed[d_of != 0]
    if not len(sel):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    vals = d_of[d_of != 0]
    present = np.zeros(len(nums_list), dtype=bool)
    present[vals] = True
    uniq = np.flatnonzero(present)
    inv = (np.cumsum(present) - 1)[vals]
    kflat: list[int] = []
    koff = [0]
    for u in uniq.tolist():
        kflat.extend(number_keys(nums_list[u]))
        koff.append(len(kflat))
    idx, lens = csr_gather(np.array(koff, dtype=np.int64), inv.astype(np.int64))
    return np.array(kflat, dtype=np.int64)[idx], np.repeat(sel.astype(np.int64), lens)


def number_block_pairs(
    key_dnums: np.ndarray, nums_list: list, signed: np.ndarray, sink=None
) -> np.ndarray:
    """Pairs of sentences stating the same distinctive figure(s).

    Paraphrases keep their figures ('1,700 UAVs since August 2022') even when
    one of them adds more (a list of models, another figure), so every pair of
    a sentence's distinctive numbers is a blocking key, and so is each of them
    alone (a sentence with one figure meets one that adds a date). Crowded keys
    (a year alone, in a large corpus) link nothing. ``key_dnums`` holds an index
    into ``nums_list`` (interned frozensets; 0 is the empty set). Returns sorted
    pair codes (see pairs.pair_codes); keys of more than MAX_NUMBER_BUCKET sentences
    link nothing.
    """
    ks, ids = number_key_rows(key_dnums, nums_list, signed)
    if sink is not None:
        sink(ks, ids)
    a, b = bucket_pairs(ks, ids, MAX_NUMBER_BUCKET)
    return pair_codes(a, b)


def estimated_overlap_at_least(
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

    def fill(i: int) -> None:  # (threads write disjoint slices)
        eq = sigs[rows_a[i : i + step]] == sigs[rows_b[i : i + step]]
        out[i : i + step] = np.count_nonzero(eq, axis=1) >= need

    for _ in ordered_map(fill, range(0, len(rows_a), step)):
        pass
    return out
