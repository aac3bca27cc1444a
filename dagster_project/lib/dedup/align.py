"""Rewrite pairs of articles: in-order alignment of their similar and verbatim sentences.

A pair of articles is a rewrite when the sentences of the shorter one can be
aligned, in order, with similar or verbatim sentences of the other (a
paraphrase written sentence by sentence keeps the order; a near-copy shares
most sentences verbatim). Article pairs are only examined through the sentence
pairs the candidate stages found, never all pairs of articles.
"""

from __future__ import annotations

from array import array

import numpy as np

from .corpus import Occurrences
from .pairs import PAIR_CHUNK, csr_gather, expand
from .verify import VerifiedPairs

REWRITE_SCORE = 0.05  # samples: rewrites 0.06-0.22, independent pairs <= 0.011
REWRITE_MIN_ALIGNED = 3  # at least this many aligned sentence pairs
MAX_GROUP_FOR_PAIRS = 50  # a verbatim sentence in more articles is boilerplate


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
    best = _chains(points) if len(points) > QUADRATIC_UP_TO else _chains_quadratic(points)
    score, length = max(best)
    return score / min(len_a, len_b), length


# Up to this many points the plain O(n^2) scan is the faster of the two.
QUADRATIC_UP_TO = 48


def _chains_quadratic(points: list[tuple[int, int, float]]) -> list[tuple[float, int]]:
    """Per point (sorted), the heaviest chain ending there as (weight, length): the
    best of the points before it in both positions, plus its own weight."""
    best: list[tuple[float, int]] = []
    for k, (i, j, w) in enumerate(points):
        top = (0.0, 0)
        for m in range(k):
            pi, pj, _ = points[m]
            if pi < i and pj < j and best[m] > top:
                top = best[m]
        best.append((top[0] + w, top[1] + 1))
    return best


def _chains(points: list[tuple[int, int, float]]) -> list[tuple[float, int]]:
    """:func:`_chains_quadratic` in O(n log n): points of one position in ``a`` are
    looked up together in a Fenwick tree of prefix maxima over positions in ``b``,
    then added. The same maxima, so the same sums in the same order."""
    ranks = {j: r for r, j in enumerate(sorted({j for _, j, _ in points}), start=1)}
    tree = [(0.0, 0)] * (len(ranks) + 1)
    best: list[tuple[float, int]] = []
    k, n = 0, len(points)
    while k < n:
        end = k
        while end < n and points[end][0] == points[k][0]:
            end += 1
        for _, j, w in points[k:end]:  # earlier positions in a only, smaller in b
            top, x = (0.0, 0), ranks[j] - 1
            while x > 0:
                if tree[x] > top:
                    top = tree[x]
                x -= x & -x
            best.append((top[0] + w, top[1] + 1))
        for m in range(k, end):
            x, value = ranks[points[m][1]], best[m]
            while x < len(tree):
                if value > tree[x]:
                    tree[x] = value
                x += x & -x
        k = end
    return best


def alignment_points(
    occ: Occurrences, sims: VerifiedPairs, n_art: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Points of every article pair from verbatim copies of a sentence and from similar
    sentence pairs: (pair code x * n_art + y with x < y, position in x, position in y,
    weight: 1 for a verbatim copy, else the overlap)."""
    empty = np.empty(0, dtype=np.int64)
    mem_size, sim_a, sim_b = occ.size, sims.sim_a, sims.sim_b
    verbatim = np.flatnonzero((mem_size > 1) & (mem_size <= MAX_GROUP_FOR_PAIRS))
    small = (mem_size[sim_a] <= MAX_GROUP_FOR_PAIRS) & (mem_size[sim_b] <= MAX_GROUP_FOR_PAIRS)
    pa = np.concatenate((verbatim, sim_a[small]))
    pb = np.concatenate((verbatim, sim_b[small]))
    pw = np.concatenate((np.ones(len(verbatim)), sims.sim_j[small]))
    pcode, ppx, ppy, pww = [], [], [], []
    step = PAIR_CHUNK
    for start in range(0, len(pa), step):
        p, ma, mb = expand(occ.off, pa[start : start + step], pb[start : start + step])
        xa, xb = occ.art[ma], occ.art[mb]
        ok = xa != xb
        p, ma, mb, xa, xb = p[ok], ma[ok], mb[ok], xa[ok], xb[ok]
        swap = xb < xa
        # the pair code per chunk (one array, not both articles' until the end)
        pcode.append(np.where(swap, xb, xa).astype(np.int64) * np.int64(n_art)
                     + np.where(swap, xa, xb))
        qa, qb = occ.pos[ma], occ.pos[mb]
        ppx.append(np.where(swap, qb, qa))
        ppy.append(np.where(swap, qa, qb))
        pww.append(pw[start : start + step][p])
    del pa, pb, pw
    if not pcode:
        return empty, empty, empty, np.empty(0)
    return _take_all(pcode), _take_all(ppx), _take_all(ppy), _take_all(pww)


def _take_all(parts: list[np.ndarray]) -> np.ndarray:
    """The parts concatenated, each freed once copied (``parts`` is emptied)."""
    out = np.empty(sum(len(x) for x in parts), dtype=parts[0].dtype)
    pos = 0
    parts.reverse()
    while parts:
        x = parts.pop()
        out[pos : pos + len(x)] = x
        pos += len(x)
        del x
    return out


def _may_reach(
    busy: np.ndarray,
    code: np.ndarray,
    starts: np.ndarray,
    weights: np.ndarray,
    article_len: array,
    n_art: int,
) -> np.ndarray:
    """The pairs of ``busy`` whose points could make a rewrite.

    A chain weighs at most all of a pair's points: pairs whose total weight over
    the shorter article cannot reach REWRITE_SCORE (most pairs of articles that
    merely share a few similar sentences) skip the alignment. ``code`` is sorted,
    ``weights`` in its order, ``starts`` the first point of each pair.
    """
    total = np.add.reduceat(weights, starts)[busy]
    x_of, y_of = np.divmod(code[starts[busy]], np.int64(n_art))
    art_len_np = np.frombuffer(article_len, dtype=np.int32)
    shorter = np.minimum(art_len_np[x_of], art_len_np[y_of])
    reach = total >= REWRITE_SCORE * (1 - 1e-9) * np.maximum(shorter, 1)
    return busy[reach & (shorter > 0)]


def rewrite_pairs(
    occ: Occurrences, sims: VerifiedPairs, article_len: array, n_art: int
) -> tuple[list[int], list[int], int]:
    """Article pairs (a list, b list) whose sentences align as a rewrite, and the
    number of article pairs examined."""
    empty = np.empty(0, dtype=np.int64)
    code, ppx, ppy, pww = alignment_points(occ, sims, n_art)
    order = np.argsort(code)  # alignment_score sorts each pair's points itself
    code = code[order]
    starts = (
        np.concatenate(([0], np.flatnonzero(code[1:] != code[:-1]) + 1)) if len(code) else empty
    )
    sizes = np.diff(np.concatenate((starts, [len(code)]))).astype(np.int64)
    n_points = len(starts)
    busy = np.flatnonzero(sizes >= REWRITE_MIN_ALIGNED)
    if len(busy):
        busy = _may_reach(busy, code, starts, pww[order], article_len, n_art)
    rew_a, rew_b = [], []
    lens = article_len.tolist()
    if len(busy):
        rows, _ = csr_gather(np.concatenate((starts, [len(code)])).astype(np.int64), busy)
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
    return rew_a, rew_b, n_points
