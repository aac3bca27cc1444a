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

FEATURES = (
    "log_n", "sw", "sw_rel", "ends_sentence", "sentences", "prose", "furniture", "teaser",
    "rel_pos", "cum_tokens", "prose_w2", "prose_w5", "log_n_w2", "log_n_w5", "prose_prev", "prose_next",
    "log_n_prev", "log_n_next", "tab", "tab_w2", "repeated", "digits", "caps", "log_chars_per_tok",
    "short", "long_nonprose", "sw_w2", "furniture_w3", "heur_score",
)


def _window_mean(x: np.ndarray, k: int) -> np.ndarray:
    if len(x) == 0:
        return x
    c = np.concatenate(([0.0], np.cumsum(x)))
    n = len(x)
    idx = np.arange(n)
    lo = np.clip(idx - k, 0, n)
    hi = np.clip(idx + k + 1, 0, n)
    return (c[hi] - c[lo]) / (hi - lo)


def _shift(x: np.ndarray, d: int, fill: float = 0.0) -> np.ndarray:
    out = np.full_like(x, fill)
    if d > 0:
        out[d:] = x[:-d]
    elif d < 0:
        out[:d] = x[-d:]
    else:
        out[:] = x
    return out


def line_features(page: Page, furn: list, prose: list, teaser: list, heur: list) -> np.ndarray:
    """(lines x features) matrix from line features and the heuristic's per-line
    furniture reasons, prose flags, teaser flags and scores (no region information)."""
    lines = page.lines
    N = len(lines)
    if N == 0:
        return np.zeros((0, len(FEATURES)))
    n = np.fromiter((ln.n for ln in lines), float, N)
    sw = np.fromiter((ln.sw for ln in lines), float, N)
    ends = np.fromiter((ln.ends_sentence for ln in lines), float, N)
    sent = np.fromiter((ln.sentences for ln in lines), float, N)
    chars = np.fromiter((len(ln.text) for ln in lines), float, N)
    prose_a = np.asarray(prose, float)
    furn_a = np.fromiter((f is not None for f in furn), float, N)
    teaser_a = np.asarray(teaser, float)
    idx = np.arange(N, dtype=float)
    log_n = np.log1p(n)
    tot = max(n.sum(), 1.0)
    cum = (np.cumsum(n) - n) / tot
    if any("\t" in ln.text for ln in lines):
        tab = np.fromiter((("\t" in ln.text) for ln in lines), float, N)
    else:
        tab = np.zeros(N)
    keys: dict[str, int] = {}
    for ln in lines:
        keys[ln.key] = keys.get(ln.key, 0) + 1
    repeated = np.fromiter((keys[ln.key] > 1 and ln.n > 0 for ln in lines), float, N)
    digits = np.fromiter((sum(map(str.isdigit, ln.text)) for ln in lines), float, N) / np.maximum(chars, 1)
    caps = np.fromiter((sum(1 for t in ln.tokens if t[0].isupper()) for ln in lines), float, N) \
        / np.maximum(np.fromiter((len(ln.tokens) for ln in lines), float, N), 1)
    short = (n < 8).astype(float)
    hs = np.asarray(heur, float)
    X = np.column_stack([
        log_n, sw, sw - page.median_sw, ends, np.minimum(sent, 5.0), prose_a, furn_a, teaser_a,
        idx / max(N - 1, 1), cum, _window_mean(prose_a, 2), _window_mean(prose_a, 5),
        _window_mean(log_n, 2), _window_mean(log_n, 5),
        _shift(prose_a, 1), _shift(prose_a, -1), _shift(log_n, 1), _shift(log_n, -1),
        tab, _window_mean(tab, 2), repeated, digits, caps,
        np.log1p(chars / np.maximum(n, 1)), short, (1 - prose_a) * (n >= 8),
        _window_mean(sw, 2), _window_mean(furn_a, 3), np.sign(hs) * np.log1p(np.abs(hs)),
    ])
    return X


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
        m["_thr"] = [np.asarray(t, float) for t in m["thresholds"]]
        m["_val"] = [np.asarray(v, float) for v in m["values"]]
    else:
        m["_w"] = np.asarray(m["coef"], float) / np.asarray(m["scale"], float)
        m["_b"] = float(m["bias"]) - float(np.dot(m["_w"], np.asarray(m["mean"], float)))
    return m


def predict(X: np.ndarray, model: dict) -> np.ndarray:
    """Probability that each row (line) is article body."""
    if model.get("kind") == "gam":
        z = np.full(len(X), float(model["base"]))
        for f, (t, v) in enumerate(zip(model["_thr"], model["_val"])):
            z += v[np.searchsorted(t, X[:, f], side="left")]
    else:
        z = X @ model["_w"] + model["_b"]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def region_scores(page: Page, furn: list, prose: list, teaser: list, heur: list,
                  model: dict | None = None) -> list[float] | None:
    """Per-line scores for the body-region search, blending the heuristic score with
    the model's: ``alpha * (p - t) * (n + c) + (1 - alpha) * heuristic``."""
    model = model or load_model()
    if model is None or not page.lines:
        return None
    p = predict(line_features(page, furn, prose, teaser, heur), model)
    n = np.fromiter((ln.n for ln in page.lines), float, len(page.lines))
    a = float(model["alpha"])
    s = a * (p - float(model["t"])) * (n + float(model["c"])) + (1 - a) * np.asarray(heur, float)
    return s.tolist()
