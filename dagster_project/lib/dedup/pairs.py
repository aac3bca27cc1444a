"""Vectorised building blocks of the clustering: CSR rows, pair codes, buckets, components.

Sets of ids are kept as CSR (one flat array plus row offsets) and pairs of ids
as sorted distinct int64 codes ``min * 2**32 + max``, so the pair stages hold
about the distinct pairs in memory and Python never loops over them one by one.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# Pairs are checked, expanded and aligned in chunks of this many (bounded memory).
PAIR_CHUNK = 500_000

_LOW = np.int64((1 << 32) - 1)


def csr_gather(off: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Element indices of CSR rows ``rows`` (concatenated) and each row's length."""
    starts = off[rows]
    lens = off[rows + 1] - starts
    out_starts = np.cumsum(lens) - lens
    idx = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(out_starts - starts, lens)
    return idx, lens


def drop_repeats(x: np.ndarray) -> np.ndarray:
    """A sorted array without its repeated values."""
    if len(x) < 2:
        return x
    keep = np.empty(len(x), dtype=bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array.

    A sort and a neighbour comparison: numpy 2's np.unique hashes integers,
    which is many times slower on arrays of millions.
    """
    return drop_repeats(np.sort(x))


def pair_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sorted distinct codes min * 2**32 + max of the pairs (a[i], b[i]), a[i] != b[i]."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    return distinct(lo[keep].astype(np.int64) * np.int64(1 << 32) + hi[keep])


def decode(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (a, b), a < b, behind pair codes."""
    return codes >> 32, codes & _LOW


def merge_codes(acc: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Sorted distinct union of two sorted distinct code arrays (a linear merge)."""
    merged = np.concatenate((acc, new))
    merged.sort(kind="stable")  # timsort: two sorted runs are merged, not re-sorted
    return drop_repeats(merged)


def in_sorted(codes: np.ndarray, sorted_codes: np.ndarray) -> np.ndarray:
    """Membership of each of ``codes`` in the sorted array ``sorted_codes``."""
    if not len(sorted_codes):
        return np.zeros(len(codes), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_codes, codes), len(sorted_codes) - 1)
    return sorted_codes[pos] == codes


def bucket_pairs(
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


def expand(off: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every (member of a, member of b) of each pair: (pair index, row in a, row in b)."""
    sa = off[a + 1] - off[a]
    sb = off[b + 1] - off[b]
    rep = sa * sb
    p = np.repeat(np.arange(len(a), dtype=np.int64), rep)
    local = np.arange(int(rep.sum()), dtype=np.int64) - np.repeat(np.cumsum(rep) - rep, rep)
    return p, off[a][p] + local // sb[p], off[b][p] + local % sb[p]


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected component label per node of the undirected graph (a[i], b[i])."""
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
    return connected_components(graph, directed=False)[1]
