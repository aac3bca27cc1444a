"""Helpers that keep clustering near-linear at scale: pair codes, caps, fast text paths."""

from __future__ import annotations

import re

import numpy as np

from dagster_project.lib.dedup import candidates as C
from dagster_project.lib.dedup import pairs as PC
from dagster_project.lib.dedup import verify as V
from dagster_project.lib.dedup.text import (
    _SCALED,
    analyse,
    content_stems,
    distinctive_numbers,
    normalised_key,
    numbers,
    numbers_of_words,
    words,
)


def _number_sentences(n: int) -> tuple[np.ndarray, list, np.ndarray]:
    """n sentences stating the same figure (one number key), as number_block_pairs takes
    them: distinctive number sets by index, the interned sets, the signed sentences."""
    return np.ones(n, dtype=np.int32), [frozenset(), frozenset({"1700"})], np.arange(n)


def test_a_number_key_links_up_to_its_fixed_cap_whatever_the_corpus_size():
    # The cap is a number of sentences, not a share of the corpus: a sentence's number
    # candidates depend on its buckets alone (what the incremental update relies on).
    at_cap = C.number_block_pairs(*_number_sentences(C.MAX_NUMBER_BUCKET))
    assert len(at_cap) == C.MAX_NUMBER_BUCKET * (C.MAX_NUMBER_BUCKET - 1) // 2
    assert len(C.number_block_pairs(*_number_sentences(C.MAX_NUMBER_BUCKET + 1))) == 0


def test_number_keys_are_stable_and_cover_single_figures_and_pairs():
    keys = C.number_keys(frozenset({"1700", "2022", "5"}))
    assert len(keys) == 3 + 3  # each figure, each pair
    assert keys == C.number_keys(frozenset({"2022", "5", "1700"}))
    assert C.number_key_hash(("1700",)) == C.number_key_hash(("1700",))  # no per-process salt
    many = C.number_keys(frozenset(str(1000 + i) for i in range(10)))
    assert len(many) == C.MAX_NUMBERS_PER_KEY * (C.MAX_NUMBERS_PER_KEY + 1) // 2


def test_band_keys_differ_across_bands_and_depend_only_on_the_signature():
    sigs = np.random.default_rng(3).integers(0, 2**16, size=(50, C.NUM_PERM), dtype=np.uint16)
    sigs[7] = sigs[3]  # an identical signature falls in the same bucket of every band
    keys = np.stack([C.band_keys(sigs, b) for b in range(C.BANDS)], axis=1)
    assert (keys[7] == keys[3]).all()
    assert len(set(keys[0].tolist())) == C.BANDS  # the band seeds the key
    assert (C.band_keys(sigs[:10], 5) == keys[:10, 5]).all()  # no dependence on other rows


def test_pair_codes_are_sorted_distinct_and_unordered():
    a = np.array([5, 1, 3, 3, 7, 2], dtype=np.int64)
    b = np.array([1, 5, 3, 4, 2, 7], dtype=np.int64)
    codes = PC.pair_codes(a, b)
    lo, hi = PC.decode(codes)
    assert list(zip(lo.tolist(), hi.tolist(), strict=True)) == [(1, 5), (2, 7), (3, 4)]
    assert len(PC.pair_codes(np.empty(0, np.int64), np.empty(0, np.int64))) == 0


def test_merge_codes_is_the_sorted_union_and_membership_uses_it():
    rng = np.random.default_rng(1)
    x = PC.distinct(rng.integers(0, 1000, 300))
    y = PC.distinct(rng.integers(0, 1000, 300))
    merged = PC.merge_codes(x, y)
    assert merged.tolist() == sorted(set(x.tolist()) | set(y.tolist()))
    probe = rng.integers(0, 1100, 200)
    assert PC.in_sorted(probe, merged).tolist() == np.isin(probe, merged).tolist()
    assert not PC.in_sorted(probe, np.empty(0, np.int64)).any()
    assert PC.distinct(np.array([3, 1, 3, 2, 1])).tolist() == [1, 2, 3]


def test_estimated_overlap_threshold_matches_the_share_of_equal_values():
    rng = np.random.default_rng(2)
    sigs = rng.integers(0, 3, (50, C.NUM_PERM)).astype(np.uint32)
    a = rng.integers(0, 50, 400)
    b = rng.integers(0, 50, 400)
    share = (sigs[a] == sigs[b]).mean(axis=1).astype(np.float32)
    for floor in (0.15, 1 / 3, 0.5):
        got = C.estimated_overlap_at_least(sigs, a, b, floor)
        assert got.tolist() == (share >= floor).tolist()


def test_count_true_counts_each_row_like_count_nonzero():
    rng = np.random.default_rng(5)
    for width in (8, C.NUM_PERM, 248):
        eq = rng.random((500, width)) < rng.random((500, 1))  # rows from sparse to dense
        eq[0], eq[1] = True, False
        got = C.count_true(eq)
        assert got.tolist() == np.count_nonzero(eq, axis=1).tolist()
        assert got[0] == width and got[1] == 0


def test_ahead_map_keeps_the_order_and_computes_one_item_ahead(monkeypatch):
    import threading
    import time

    from dagster_project.lib.dedup import threads as T

    monkeypatch.setenv("DEDUP_WORKERS", "2")
    started: list[int] = []

    def slow(x: int) -> int:
        started.append(x)
        time.sleep(0.01 * (5 - x))  # earlier items take longer
        return x * x

    got = []
    for x in T.ahead_map(slow, range(5)):
        if x == 1:  # while the caller holds item 1, item 2 is under way, never item 3
            deadline = time.monotonic() + 5
            while 2 not in started and time.monotonic() < deadline:
                time.sleep(0.001)
            assert 2 in started and 3 not in started
        got.append(x)
    assert got == [0, 1, 4, 9, 16]
    monkeypatch.setenv("DEDUP_WORKERS", "1")  # in line: each call on the caller's thread
    callers = set()
    assert list(T.ahead_map(lambda x: callers.add(threading.get_ident()) or x, range(3))) == [0, 1, 2]
    assert callers == {threading.get_ident()}


def test_overlaps_counts_shared_stems_and_shared_words():
    vocab = ["1700", "drone", "iran", "russia", "suppli"]
    digit = np.array([t.isdigit() for t in vocab])
    rows = [[0, 1, 2], [0, 1, 3, 4], [3]]  # each row sorted, distinct
    flat = np.array([x for r in rows for x in r], dtype=np.int64)
    off = np.array([0, 3, 7, 8], dtype=np.int64)
    la, lb, inter, words_ = V.overlaps(flat, off, digit, np.array([0, 1]), np.array([1, 2]))
    assert la.tolist() == [3, 4] and lb.tolist() == [4, 1]
    assert inter.tolist() == [2, 1]  # {1700, drone}, {russia}
    assert words_.tolist() == [1, 1]  # the figure is not a word


def test_fast_text_paths_agree_with_the_reference_functions():
    samples = [
        "Since August 2022, Iran has supplied Russia with more than 1,700 drones.",
        "Trade reached $5 billion; exports grew 12 per cent and imports 3.5%.",
        "Revenue was 12bn, up from 9 mln a year earlier, a 40 percent rise.",
        "Le café coûte €40 à Paris, selon l'INSEE en 2023.",
        "Geran-1 and Geran-2 drones were shown.",
        "No digits at all here, only words about the Caspian railway.",
        "A \u212aelvin sign lowers to k, and Arabic-Indic \u0663\u0664\u0665 are digits.",
        "TABS\tand\nNEW lines, UPPER case; 42 and under_scores.",
    ]
    word_re = re.compile(r"[a-z0-9]+")
    for s in samples:
        key, stems, nums = analyse(s)
        assert key == normalised_key(s) == " ".join(words(s))
        assert words(s) == word_re.findall(s.lower())  # the reference tokenisation
        assert numbers_of_words(s, key) == nums
        assert list(stems) == content_stems(s)
        assert nums == numbers(s)
        # the cheap pre-filter never hides a currency or scale the regex would find
        scaled = {(m.group(1) or m.group(2)).replace(",", "") for m in _SCALED.finditer(s)}
        plain = {n for n in nums if len(n.replace(".", "")) >= 3 or "." in n}
        assert distinctive_numbers(nums, s) == plain | scaled
    assert distinctive_numbers(numbers(samples[2]), samples[2]) == {"12", "9", "40"}
    assert distinctive_numbers(numbers(samples[1]), samples[1]) == {"5", "12", "3.5"}
    assert distinctive_numbers(numbers(samples[3]), samples[3]) == {"40", "2023"}
    assert distinctive_numbers(numbers(samples[4]), samples[4]) == frozenset()


def _reference_band_pairs(sigs, ids, floor):
    """Brute force: pairs sharing a band bucket of 2..MAX_BUCKET rows, estimate >= floor."""
    out = set()
    for band in range(C.BANDS):
        buckets: dict[tuple, list[int]] = {}
        for r in range(len(sigs)):
            key = tuple(sigs[r, band * C.ROWS : (band + 1) * C.ROWS].tolist())
            buckets.setdefault(key, []).append(r)
        for members in buckets.values():
            if 2 <= len(members) <= C.MAX_BUCKET:
                for i, x in enumerate(members):
                    for y in members[i + 1 :]:
                        if np.float32((sigs[x] == sigs[y]).mean()) >= floor:
                            out.add((int(ids[x]), int(ids[y])))
    return sorted(out)


def test_band_pairs_match_brute_force_bucketing():
    rng = np.random.default_rng(3)
    n = 300
    sigs = rng.integers(0, 1 << 32, (n, C.NUM_PERM), dtype=np.uint64).astype(np.uint32)
    # near-duplicates share most values; one crowded band bucket exceeds MAX_BUCKET
    for r in range(0, 120, 2):
        same = rng.random(C.NUM_PERM) < rng.uniform(0.1, 0.9)
        sigs[r + 1, same] = sigs[r, same]
    sigs[150 : 150 + C.MAX_BUCKET + 5, : C.ROWS] = 7
    sigs[200:210, C.ROWS : 2 * C.ROWS] = 9  # a bucket of 10 sharing only one band
    ids = np.sort(rng.choice(10_000, n, replace=False)).astype(np.int64)
    for floor in (0.0, 0.15):
        lo, hi = PC.decode(C.band_pairs(sigs, ids, floor))
        got = list(zip(lo.tolist(), hi.tolist(), strict=True))
        assert got == _reference_band_pairs(sigs, ids, floor)
    # the planted near-duplicates that share most values are all found
    close = [r for r in range(0, 120, 2) if (sigs[r] == sigs[r + 1]).mean() >= 0.7]
    assert len(close) >= 10
    assert {(int(ids[r]), int(ids[r + 1])) for r in close} <= set(got)


def test_signatures_keep_the_low_bits_of_the_full_minimum(monkeypatch):
    rng = np.random.default_rng(4)
    vocab = [f"stem{i}" for i in range(500)]
    rows = [np.sort(rng.choice(500, rng.integers(3, 30), replace=False)) for _ in range(200)]
    flat = np.concatenate(rows).astype(np.int64)
    off = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
    sel = np.arange(len(rows), dtype=np.int64)
    got = C.signatures(flat, off, sel, vocab)
    assert got.dtype == C.SIGNATURE_DTYPE and np.iinfo(got.dtype).bits == 16
    monkeypatch.setattr(C, "SIGNATURE_DTYPE", np.uint32)
    full = C.signatures(flat, off, sel, vocab)
    # the minimum over the full values, truncated: not the minimum of truncated values
    assert (got == (full & 0xFFFF)).all()


def test_the_fast_alignment_finds_the_same_chains_as_the_quadratic_scan():
    import random

    from dagster_project.lib.dedup import align

    rng = random.Random(5)
    for _ in range(300):
        n = rng.randint(1, 160)
        span = rng.randint(2, 60)
        points = sorted({(rng.randrange(span), rng.randrange(span),
                          rng.choice([1.0, 0.25, rng.random()])) for _ in range(n)})
        assert align._chains(points) == align._chains_quadratic(points)
