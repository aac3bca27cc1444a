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

import tempfile
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
    pair_codes,
)
from .threads import ahead_map, ordered_map, release_freed

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
    # the band's values in one pass over the rows (2 bytes each), then one 8-byte array
    # updated in place: a key's worth of memory beside them, not a copy per operation
    cols = np.ascontiguousarray(signatures[:, band * ROWS : (band + 1) * ROWS])
    keys = cols[:, 0].astype(np.uint64)
    with np.errstate(over="ignore"):
        keys ^= np.uint64(band + 1) * _MIX
        for r in range(1, ROWS):
            keys *= _MIX
            keys ^= cols[:, r]
    return keys.view(np.int64)


def band_pairs(signatures: np.ndarray, ids: np.ndarray, floor: float = 0.0,
               sink=None) -> np.ndarray:
    """Distinct pairs of ids that share a band bucket of at most MAX_BUCKET members.

    ``ids[k]`` (increasing) is the sentence behind ``signatures[k]``. Returns the
    sorted codes of the pairs (see pairs.pair_codes). Pairs whose estimated Jaccard
    (share of equal MinHash values) is below ``floor`` are dropped. A pair is kept
    only in the first band that finds it (see :func:`band_codes`), so each distinct
    plausible pair is held once, as an 8-byte code, and the bands' codes are merged
    once at the end.
    """
    return merge_band_codes(band_codes(signatures, ids, floor, sink), ids)


def band_codes(signatures: np.ndarray, ids: np.ndarray, floor: float = 0.0,
               sink=None) -> SpilledCodes:
    """:func:`band_pairs` before the merge: the codes of the row pairs each band finds
    first, in a temporary file. The caller frees the signatures before
    :func:`merge_band_codes` reads them back and sorts them.

    A pair sharing a bucket of band k was found by an earlier band j when its rows
    have the same values in band j (hence the same key) and that bucket was not over
    the cap (``shared``: per row, a bit per band whose bucket links its members). The
    values of both rows are gathered for the estimate anyway, so the test is nearly
    free, and the pairs of a near-duplicate sharing most of the 32 bands are kept
    once instead of in every band. (Two different value triples with one 64-bit key
    would make a pair look new twice: the merge drops repeats.)
    """
    assert BANDS == 32  # (a row's bands are the bits of one uint32)
    n = len(ids)
    # about 4 slots per row, at most 2**24 (a 64 MB table)
    low_mask = np.uint64((1 << min(24, max(10, (4 * n).bit_length()))) - 1)
    row_ids = np.arange(n, dtype=np.int32)
    shared = np.zeros(n, dtype=np.uint32)  # bit j: the row's bucket of band j links

    if sink is not None and n <= 1:  # (no bands run: the index still gets the keys)
        for band in range(BANDS):
            sink(band_keys(signatures, band), ids)

    def buckets(band: int) -> tuple[np.ndarray, np.ndarray]:
        """The row pairs of the band's buckets (their bit set in ``shared``)."""
        keys = band_keys(signatures, band)
        if sink is not None:  # the index gets every band key (lib.dedup.index), on
            # this thread while the previous band's pairs are checked on the others
            sink(keys, ids)
        # Most sentences are alone in their bucket: only rows whose key may occur
        # twice or more (its low bits do) are grouped, by their whole key.
        low = (keys.view(np.uint64) & low_mask).view(np.intp)  # (< 2**24: no copy)
        rows = _not_alone(low, row_ids, int(low_mask) + 1)
        del low
        a, b = bucket_pairs(keys[rows], rows, MAX_BUCKET)  # (row numbers in 32 bits)
        del keys, rows
        bit = np.uint32(1 << band)
        shared[a] |= bit
        shared[b] |= bit
        return a, b

    def new_pairs(band: int, a: np.ndarray, b: np.ndarray) -> None:
        """The band's pairs no earlier band linked, close enough, to ``spilled`` as codes
        (in chunks: not sorted here, the merge sorts them all once)."""
        for start in range(0, len(a), PAIR_CHUNK):
            ca, cb = a[start : start + PAIR_CHUNK], b[start : start + PAIR_CHUNK]
            ok = _new_and_close(signatures, ca, cb, band, shared, floor)
            ca, cb = ca[ok], cb[ok]
            spilled.append(np.minimum(ca, cb).astype(np.int64) << 32 | np.maximum(ca, cb))

    # The next band's keys, index rows and buckets are made on a thread of their own
    # while this band's pairs are checked (that work is mostly one numpy or DuckDB call
    # at a time; the checks run on the chunk threads): two bands' pairs are held at
    # once (tens of MB each at 100,000 articles). With band keys built in place the
    # clustering's peak stayed at 1.87-1.88 GB there (1.88 GB one band at a time).
    # The next band sets only its own bit of ``shared``, which this band's checks do
    # not read; DEDUP_WORKERS=1 runs the bands in line.
    spilled = SpilledCodes()
    try:
        if n > 1:
            for band, (a, b) in enumerate(ahead_map(buckets, range(BANDS))):
                new_pairs(band, a, b)
                del a, b
                # the band's freed arrays, of every size, otherwise left the heap
                # 0.2 GB larger after the 32 bands at 100,000 articles
                release_freed()
    except BaseException:
        spilled.close()
        raise
    return spilled


def _not_alone(slot: np.ndarray, row_ids: np.ndarray, n_slots: int) -> np.ndarray:
    """The rows (``row_ids[i]`` is i) whose slot holds another row too: one row per
    slot is recorded (whichever an assignment with repeats keeps), every other row of a
    slot marks it. A 4-byte table and a 1-byte one instead of bincount's 8-byte counts."""
    writer = np.empty(n_slots, dtype=np.int32)  # (only the slots assigned are read)
    writer[slot] = row_ids
    shared_slot = np.zeros(n_slots, dtype=bool)
    shared_slot[slot[writer[slot] != row_ids]] = True
    return row_ids[shared_slot[slot]]


class SpilledCodes:
    """Code arrays written one after the other to a temporary file, read back as
    one array: the bands' pairs (45 million codes, 0.36 GB at 100,000 articles) wait
    on disk while the signatures are in memory, not beside them."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="dedup-band-codes-")
        self.total = 0

    def append(self, codes: np.ndarray) -> None:
        codes.astype(np.int64, copy=False).tofile(self._file)
        self.total += len(codes)

    def read(self) -> np.ndarray:
        """Every code written, in order (the file is closed and removed)."""
        try:
            self._file.flush()
            self._file.seek(0)
            out = np.fromfile(self._file, dtype=np.int64, count=self.total)
        finally:
            self.close()
        if len(out) != self.total:
            raise OSError(f"band codes: read {len(out)} of {self.total}")
        return out

    def close(self) -> None:
        self._file.close()


def _new_and_close(sigs: np.ndarray, a: np.ndarray, b: np.ndarray, band: int,
                   shared: np.ndarray, floor: float) -> np.ndarray:
    """Which pairs of rows (a[i], b[i]) of one bucket of ``band`` no earlier band linked
    (see :func:`band_codes`) and have an estimated Jaccard of at least ``floor``
    (:func:`estimated_overlap_at_least`'s count threshold)."""
    width = sigs.shape[1]
    need = next((m for m in range(width + 1) if np.float32(m / width) >= floor), width + 1)
    earlier = np.uint32((1 << band) - 1)
    out = np.empty(len(a), dtype=bool)
    step = 32_768

    def fill(i: int) -> None:  # (threads write disjoint slices)
        ra = a[i : i + step]
        eq = sigs[ra] == sigs[b[i : i + step]]
        ok = count_true(eq) >= need
        if band:
            # Only a close pair whose first row was linked by an earlier band may have
            # been found there: the per-band test runs on those alone.
            ok_a = ra[ok]
            linked_before = (shared[ok_a] & earlier) != 0
            maybe = np.flatnonzero(ok)[linked_before]
            if len(maybe):
                e = eq[maybe]
                # per pair, a bit per band whose values are all equal (32 bands: 4 bytes)
                same = e[:, 0::ROWS]
                for r in range(1, ROWS):
                    same = same & e[:, r::ROWS]
                same = np.packbits(same, axis=1, bitorder="little").view(np.uint32)[:, 0]
                ok[maybe] = (same & shared[ok_a[linked_before]] & earlier) == 0
        out[i : i + step] = ok

    for _ in ordered_map(fill, range(0, len(a), step)):
        pass
    return out


_BYTE_ONES = np.uint64(0x0101010101010101)


def count_true(eq: np.ndarray) -> np.ndarray:
    """Per row, the number of True values of a C-contiguous bool array of at most 255
    columns, a multiple of 8 (count_nonzero along an axis converts every value): its
    rows are read as 8-byte words whose bytes are 0 or 1, the words of a row added
    (each byte then counts its column lane, at most 255 / 8 words) and a word's bytes
    summed by one multiplication (the sum lands in the top byte)."""
    n, width = eq.shape
    assert width % 8 == 0 and width <= 255 and eq.flags.c_contiguous
    words = eq.view(np.uint64)
    lanes = words[:, 0].copy()
    for k in range(1, width // 8):
        lanes += words[:, k]
    return ((lanes * _BYTE_ONES) >> np.uint64(56)).astype(np.int64)


def merge_band_codes(codes: SpilledCodes, ids: np.ndarray) -> np.ndarray:
    """The sorted distinct pair codes of ``band_codes``'s bands, in sentence ids."""
    kept = codes.read()
    kept.sort()  # (in place)
    if len(kept) > 1 and np.any(kept[1:] == kept[:-1]):
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
        out[i : i + step] = count_true(eq) >= need

    for _ in ordered_map(fill, range(0, len(rows_a), step)):
        pass
    return out
