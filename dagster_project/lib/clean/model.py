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
from functools import lru_cache
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
    c = np.vstack([np.zeros((1, M.shape[1])), np.cumsum(M, axis=0)])
    idx = np.arange(N)
    lo = np.maximum(idx - k, 0)
    hi = np.minimum(idx + k + 1, N)
    return (c[hi] - c[lo]) / (hi - lo)[:, None]


def line_features(page: Page, furn: list, prose: list, teaser: list, heur: list) -> np.ndarray:
    """(lines x features) matrix from line features and the heuristic's per-line
    furniture reasons, prose flags, teaser flags and scores (no region information)."""
    lines = page.lines
    N = len(lines)
    if N == 0:
        return np.zeros((0, len(FEATURES)))
    base = np.array([(ln.n, ln.sw, ln.ends_sentence, ln.sentences, len(ln.tokens), len(ln.text)) for ln in lines],
                    float)
    n, sw, ends, sent, ntok, chars = base.T
    prose_a = np.asarray(prose, float)
    furn_a = np.array([f is not None for f in furn], float)
    log_n = np.log1p(n)
    cum = (np.cumsum(n) - n) / max(n.sum(), 1.0)
    # Byte statistics of all lines at once (UTF-8 of the joined text; ASCII digits,
    # capitals and tabs are single bytes, and b'\n' only separates lines).
    cp = np.frombuffer("\n".join([ln.text for ln in lines]).encode("utf-8"), dtype=np.uint8)
    nl = cp == 10
    line_of = np.cumsum(nl)
    sep = np.empty(len(cp), bool)
    sep[0] = True
    sep[1:] = (cp[:-1] == 32) | nl[:-1] | (cp[:-1] == 9) | (cp[:-1] == 40) | (cp[:-1] == 34)
    digits = np.bincount(line_of[(cp >= 48) & (cp <= 57)], minlength=N) / np.maximum(chars, 1)
    caps = np.bincount(line_of[(cp >= 65) & (cp <= 90) & sep], minlength=N) / np.maximum(ntok, 1)
    tab = (np.bincount(line_of[cp == 9], minlength=N) > 0).astype(float)
    w2 = _window_means(np.column_stack([prose_a, log_n, tab, sw]), 2)
    w5 = _window_means(np.column_stack([prose_a, log_n]), 5)
    w3 = _window_means(furn_a[:, None], 3)
    hs = np.asarray(heur, float)
    log_n_prev = np.empty(N)
    log_n_prev[0] = 0.0
    log_n_prev[1:] = log_n[:-1]
    return np.column_stack([
        log_n, sw, sw - page.median_sw, ends, np.minimum(sent, 5.0), furn_a, np.asarray(teaser, float),
        np.arange(N) / max(N - 1, 1), cum, w2[:, 0], w5[:, 0], w2[:, 1], w5[:, 1],
        log_n_prev, w2[:, 2], digits, caps, np.log1p(chars / np.maximum(n, 1)),
        w2[:, 3], w3[:, 0], np.sign(hs) * np.log1p(np.abs(hs)),
    ])


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
        m["_thr_all"] = np.concatenate([np.asarray(m["thresholds"][f], float) + k * _SPAN
                                        for k, f in enumerate(used)] or [np.zeros(0)])
        sizes = [len(m["thresholds"][f]) for f in used]
        m["_bin_base"] = np.cumsum([0] + sizes[:-1]).astype(int)  # thresholds before feature k
        m["_val_all"] = np.concatenate([np.asarray(m["values"][f], float) for f in used] or [np.zeros(0)])
        m["_val_base"] = np.cumsum([0] + [s + 1 for s in sizes[:-1]]).astype(int)
    else:
        m["_w"] = np.asarray(m["coef"], float) / np.asarray(m["scale"], float)
        m["_b"] = float(m["bias"]) - float(np.dot(m["_w"], np.asarray(m["mean"], float)))
    return m


def predict(X: np.ndarray, model: dict) -> np.ndarray:
    """Probability that each row (line) is article body."""
    if model.get("kind") == "gam":
        z = np.full(len(X), float(model["base"]))
        used = model["_used"]
        if len(used):
            k = len(used)
            Xs = np.clip(X[:, used], -_CLIP, _CLIP) + np.arange(k) * _SPAN
            b = np.searchsorted(model["_thr_all"], Xs.ravel(), side="left").reshape(Xs.shape)
            z += model["_val_all"][b - model["_bin_base"] + model["_val_base"]].sum(axis=1)
    else:
        z = X @ model["_w"] + model["_b"]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def region_scores(page: Page, furn: list, prose: list, teaser: list, heur: list,
                  model: dict | None = None) -> list[float] | None:
    """Per-line scores for the body-region search, blending the heuristic score with
    the model's: ``alpha * (p - t) * (n + c) + (1 - alpha) * heuristic``, where ``p``
    is optionally smoothed with its neighbours' mean (weight ``smooth``, window ``k``)."""
    model = model or load_model()
    if model is None or not page.lines:
        return None
    p = predict(line_features(page, furn, prose, teaser, heur), model)
    smooth = float(model.get("smooth", 0.0))
    if smooth:  # a line among body lines is more likely body (list items, table rows)
        p = (1 - smooth) * p + smooth * _window_means(p[:, None], int(model.get("k", 3)))[:, 0]
    n = np.fromiter((ln.n for ln in page.lines), float, len(page.lines))
    a = float(model["alpha"])
    s = a * (p - float(model["t"])) * (n + float(model["c"])) + (1 - a) * np.asarray(heur, float)
    return s.tolist()
