"""A small learned line scorer that guides the body-region search of text dumps.

Each line gets language-independent features of itself and its neighbours
(length, stop-word density, punctuation, position, tabs (table rows), digits,
capitalisation, repetition, furniture/teaser pattern hits, the heuristic
score); a model trained by ``scripts/train_line_model.py`` on page dumps with
hand-made bodies (weights in ``line_model.json``: gradient-boosted stumps
summed into one step function per feature, or a logistic regression) gives
the probability ``p`` that the line is article body. :func:`region_scores`
blends ``(p - t) * (n + c)`` with the heuristic line score; :mod:`.text` then
runs its usual region search (maximum-sum run, merges, end markers) on it.
Without a model file the heuristic runs alone.
"""

from __future__ import annotations

import json
from array import array
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from pathlib import Path

import numpy as np

from .lines import Page

MODEL_PATH = Path(__file__).with_name("line_model.json")
_SPAN = 1e5  # offset between features in the fused threshold array (features lie well within +-_CLIP)
_CLIP = 4e4

FEATURES = (
    "log_n", "sw", "sw_rel", "ends_sentence", "sentences", "furniture", "teaser",
    "rel_pos", "cum_tokens", "prose_w2", "prose_w5", "log_n_w2", "log_n_w5",
    "log_n_prev", "tab_w2", "digits", "caps", "log_chars_per_tok",
    "sw_w2", "furniture_w3", "heur_score",
)


def _window_means(M: np.ndarray, k: int) -> np.ndarray:
    """Mean of each column over the window [i-k, i+k] (clipped at the page ends)."""
    N = M.shape[0]
    c = np.empty((M.shape[0] + 1, M.shape[1]))
    c[0] = 0.0
    M.cumsum(axis=0, out=c[1:])
    lo, hi, width = _window_index(N, k)
    return (c[hi] - c[lo]) / width


_PAD = 5  # widest feature window: [i-5, i+5]


@lru_cache(maxsize=512)
def _window_width(N: int, k: int) -> np.ndarray:
    """Sizes of the windows [i-k, i+k] of N rows (clipped at the page ends), as a column."""
    return _window_index(N, k)[2]


@lru_cache(maxsize=512)
def _window_index(N: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lo, hi, window sizes as a column) of the windows [i-k, i+k] of N rows."""
    idx = np.arange(N)
    lo = np.maximum(idx - k, 0)
    hi = np.minimum(idx + k + 1, N)
    return lo, hi, (hi - lo)[:, None]


_BYTE_CLASS = np.zeros(256, np.intp)
_BYTE_CLASS[48:58] = 1
_BYTE_CLASS[65:91] = 2
_BYTE_CLASS[9] = 3
_AFTER_SEP = np.zeros(256, bool)
_AFTER_SEP[[32, 10, 9, 40, 34]] = True
# bytes.translate tables: byte -> class (as _BYTE_CLASS), byte -> 1 if a separator.
_CLASS_BYTES = bytes(_BYTE_CLASS.astype(np.uint8))
_SEP_BYTES = bytes(_AFTER_SEP.astype(np.uint8))
_BASE = attrgetter("n", "sw", "ends_sentence", "sentences")
_TOKENS = attrgetter("tokens")
_TEXT = attrgetter("text")


def _byte_counts_joined(texts: list[str], N: int) -> np.ndarray:
    """(N x 4) counts of other bytes, digits, capitals, tabs of each text (UTF-8 of the
    joined text; ASCII digits, capitals and tabs are single bytes, and b'\\n' only
    separates lines). A capital counts only at the start of the text or after a space,
    newline, tab, '(' or '"'."""
    cp = np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)
    line_of = (cp == 10).cumsum()
    cat = _BYTE_CLASS[cp]
    cap = np.flatnonzero(cat == 2)
    if len(cap):
        not_first = _AFTER_SEP[cp[cap - 1]] | (cap == 0)
        cat[cap[~not_first]] = 0
    return np.bincount(line_of * 4 + cat, minlength=4 * N).reshape(N, 4)


def _byte_counts(raw: str, starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(digits, capitals, tabs) of the lines [starts, stops) of ``raw``, counted as
    :func:`_byte_counts_joined` does, page-wide: the page's Latin-1 bytes ('?' for
    other characters; one byte per character, so offsets are character offsets;
    inside a line the same bytes are digits, capitals, tabs and separators as in its
    UTF-8) classified by ``bytes.translate``. Digits and capitals are summed from each
    line's start to the next one's: what lies between two lines is whitespace."""
    b = raw.encode("latin-1", "replace")
    cat = np.frombuffer(b.translate(_CLASS_BYTES), np.uint8)
    # A capital counts after a separator, and at the start of a line whatever precedes it.
    cap = cat == 2
    cap[1:] &= np.frombuffer(b.translate(_SEP_BYTES), np.bool_)[:-1]
    cap[starts] = cat[starts] == 2  # (lines are not empty: every start is inside the page)
    digits = np.add.reduceat(cat == 1, starts, dtype=np.int64)
    capitals = np.add.reduceat(cap, starts, dtype=np.int64)
    if "\t" in raw:  # (tabs may lie between lines: running count, differences at the spans)
        t = np.zeros(len(cat) + 1, np.int64)
        np.cumsum(cat == 3, out=t[1:])
        tabs = t[stops] - t[starts]
    else:
        tabs = np.zeros(len(starts), np.int64)
    return digits, capitals, tabs


def _ints(values) -> np.ndarray:
    """int64 array of a list of ints (array.array converts in C; numpy's list
    conversion inspects every element)."""
    return np.frombuffer(array("q", values), np.int64)


def _floats(values) -> np.ndarray:
    return np.frombuffer(array("d", values), np.float64)


def _flags(values) -> np.ndarray:
    """0/1 uint8 array of a list of bools."""
    return np.frombuffer(bytes(values), np.uint8) if isinstance(values, list) else np.asarray(values, np.uint8)


def line_features(page: Page, furn: list, prose: list, teaser: list, heur: list) -> np.ndarray:
    """(lines x features) matrix from line features and the heuristic's per-line
    furniture reasons, prose flags, teaser flags and scores (no region information)."""
    return _features(page, furn, prose, teaser, heur)[0]


def _features(page: Page, furn: list, prose: list, teaser: list, heur: list):
    """(feature matrix, word counts n, heuristic scores) of :func:`line_features`."""
    lines = page.lines
    N = len(lines)
    if N == 0:
        return np.zeros((0, len(FEATURES))), np.zeros(0), np.zeros(0)
    is_furn = [f is not None for f in furn]
    if page.ns is not None and len(page.ns) == N and page.starts is not None:
        n, sent, ntok, starts, stops = map(_ints, (page.ns, page.sents, page.ntoks, page.starts, page.stops))
        sw, hs = _floats(page.sws), _floats(heur)
        ends, prose, teaser, is_furn = map(_flags, (page.ends, prose, teaser, is_furn))
        chars = stops - starts
        n_dig, n_cap, n_tab = _byte_counts(page.raw, starts, stops)
    else:  # (a page without per-line arrays: from its lines)
        base = np.fromiter(chain.from_iterable(map(_BASE, lines)), float, 4 * N).reshape(N, 4)
        n, sw, ends, sent = base.T
        ntok = np.fromiter(map(len, map(_TOKENS, lines)), float, N)
        chars = np.fromiter(map(len, map(_TEXT, lines)), float, N)
        hs = np.asarray(heur, float)
        c4 = _byte_counts_joined(list(map(_TEXT, lines)), N)
        n_dig, n_cap, n_tab = c4[:, 1], c4[:, 2], c4[:, 3]
    log_n = np.log1p(n)
    cum = (n.cumsum() - n) / max(float(n.sum()), 1.0)
    digits = n_dig / np.maximum(chars, 1)
    caps = n_cap / np.maximum(ntok, 1)
    tab = (n_tab > 0).astype(float)
    # One cumulative sum for all windowed columns: prose, log_n, tab, sw, furniture,
    # with _PAD zero rows before and after the lines: row _PAD + i holds the sum over
    # lines < i for every i in [-_PAD, N + _PAD] (0 before the page, the total after
    # it), so each window sum is a difference of two slices (no index arrays).
    M = np.zeros((N + 2 * _PAD + 1, 5))
    body = M[_PAD + 1:_PAD + 1 + N]
    body[:, 0] = prose
    body[:, 1] = log_n
    body[:, 2] = tab
    body[:, 3] = sw
    body[:, 4] = is_furn
    M.cumsum(axis=0, out=M)
    w2 = (M[_PAD + 3:_PAD + 3 + N, :4] - M[_PAD - 2:_PAD - 2 + N, :4]) / _window_width(N, 2)
    w5 = (M[_PAD + 6:_PAD + 6 + N, :2] - M[_PAD - 5:_PAD - 5 + N, :2]) / _window_width(N, 5)
    w3 = (M[_PAD + 4:_PAD + 4 + N, 4:5] - M[_PAD - 3:_PAD - 3 + N, 4:5]) / _window_width(N, 3)
    furn_a = M[_PAD + 1:_PAD + 1 + N, 4] - M[_PAD:_PAD + N, 4]  # (0/1 flags back from their running sum: exact)
    X = np.empty((N, len(FEATURES)))
    X[:, 0] = log_n
    X[:, 1] = sw
    X[:, 2] = sw - page.median_sw
    X[:, 3] = ends
    X[:, 4] = np.minimum(sent, 5.0)
    X[:, 5] = furn_a
    X[:, 6] = teaser
    X[:, 7] = np.arange(N) / max(N - 1, 1)
    X[:, 8] = cum
    X[:, 9] = w2[:, 0]
    X[:, 10] = w5[:, 0]
    X[:, 11] = w2[:, 1]
    X[:, 12] = w5[:, 1]
    X[0, 13] = 0.0
    X[1:, 13] = log_n[:-1]
    X[:, 14] = w2[:, 2]
    X[:, 15] = digits
    X[:, 16] = caps
    X[:, 17] = np.log1p(chars / np.maximum(n, 1))
    X[:, 18] = w2[:, 3]
    X[:, 19] = w3[:, 0]
    X[:, 20] = np.sign(hs) * np.log1p(np.abs(hs))
    return X, n, hs


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> dict | None:
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    m = json.loads(p.read_text(encoding="utf-8"))
    if list(m["features"]) != list(FEATURES):
        return None  # stale weights: fall back to the heuristic alone
    if not m.get("enabled", True):
        return None  # trained, but not better than the heuristic in cross-validation
    return prepare(m)


def prepare(m: dict) -> dict:
    """Precompute the arrays used by :func:`predict`."""
    if m.get("kind") == "gam":
        # One sorted threshold array for all used features: feature f's values and
        # thresholds are shifted by f * _SPAN, so a single searchsorted bins them all.
        used = [f for f, v in enumerate(m["values"]) if max(v) > min(v)]
        m["_used"] = np.asarray(used, int)
        m["_all_used"] = used == list(range(len(m["values"])))
        m["_thr_all"] = np.concatenate([np.asarray(m["thresholds"][f], float) + k * _SPAN
                                        for k, f in enumerate(used)] or [np.zeros(0)])
        sizes = [len(m["thresholds"][f]) for f in used]
        m["_bin_base"] = np.cumsum([0] + sizes[:-1]).astype(int)  # thresholds before feature k
        m["_val_all"] = np.concatenate([np.asarray(m["values"][f], float) for f in used] or [np.zeros(0)])
        m["_val_base"] = np.cumsum([0] + [s + 1 for s in sizes[:-1]]).astype(int)
        m["_val_off"] = m["_val_base"] - m["_bin_base"]  # bin index -> value index, per feature
        m["_shift"] = np.arange(len(used)) * _SPAN
    else:
        m["_w"] = np.asarray(m["coef"], float) / np.asarray(m["scale"], float)
        m["_b"] = float(m["bias"]) - float(np.dot(m["_w"], np.asarray(m["mean"], float)))
    return m


def predict(X: np.ndarray, model: dict, overwrite: bool = False) -> np.ndarray:
    """Probability that each row (line) is article body. ``overwrite``: ``X`` may be
    clipped and shifted in place (when every feature is used)."""
    if model.get("kind") == "gam":
        z = np.full(len(X), float(model["base"]))
        used = model["_used"]
        if len(used):
            if overwrite and model.get("_all_used") and X.shape[1] == len(used) and X.flags.c_contiguous:
                Xs = X
            else:
                Xs = X[:, used]  # (a copy: fancy indexing)
            # (np.minimum/np.maximum: np.clip's wrapper costs more than the clipping here)
            np.minimum(np.maximum(Xs, -_CLIP, out=Xs), _CLIP, out=Xs)
            Xs += model["_shift"] if "_shift" in model else np.arange(len(used)) * _SPAN
            b = model["_thr_all"].searchsorted(Xs.ravel(), side="left").reshape(Xs.shape)
            b += model["_val_off"] if "_val_off" in model else model["_val_base"] - model["_bin_base"]
            z += model["_val_all"][b].sum(axis=1)
    else:
        z = X @ model["_w"] + model["_b"]
    return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(z, -30.0), 30.0)))


def region_scores(page: Page, furn: list, prose: list, teaser: list, heur: list,
                  model: dict | None = None) -> list[float] | None:
    """Per-line scores for the body-region search, blending the heuristic score with
    the model's: ``alpha * (p - t) * (n + c) + (1 - alpha) * heuristic``, where ``p``
    is optionally smoothed with its neighbours' mean (weight ``smooth``, window ``k``)."""
    model = model or load_model()
    if model is None or not page.lines:
        return None
    X, n, hs = _features(page, furn, prose, teaser, heur)
    p = predict(X, model, overwrite=X.shape[1] == len(FEATURES))  # (X is ours: no copy)
    smooth = float(model.get("smooth", 0.0))
    if smooth:  # a line among body lines is more likely body (list items, table rows)
        p = (1 - smooth) * p + smooth * _window_means(p[:, None], int(model.get("k", 3)))[:, 0]
    a = float(model["alpha"])
    s = a * (p - float(model["t"])) * (n + float(model["c"])) + (1 - a) * hs
    return s.tolist()
