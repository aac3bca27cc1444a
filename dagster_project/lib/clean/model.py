"""A small learned line classifier that refines the heuristic body region of text dumps.

Each line gets language-independent features of itself and its neighbours
(length, stop-word density, punctuation, position, furniture/teaser pattern
hits, whether the heuristic region holds it and how far it is from it);
gradient-boosted stumps summed into one step function per feature, or a
logistic regression (weights in ``line_model.json``, trained by
``scripts/train_line_model.py`` on page dumps with hand-made bodies) gives the
probability that the line is article body. :func:`add_lines` and :func:`drop_lines` then only override
the heuristic where the model is confident: a region line is dropped below
``thr_drop``, a line outside the region is taken in above ``thr_add``.
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
    "in_region", "heur_body", "log_dist_region", "rel_pos", "cum_tokens",
    "prose_w2", "heur_w3", "log_n_w5", "prose_prev", "prose_next", "log_n_prev", "log_n_next",
    "tab", "repeated", "digits", "caps", "region_share", "short_in_region", "prose_outside",
    "log_chars_per_tok", "short", "long_nonprose",
)

# Reasons the model may never turn back into body.
_KEEP_REMOVED = frozenset({"fake_author_profile", "cookie_notice", "comments", "duplicate_paragraph"})


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


def line_features(page: Page, res) -> np.ndarray:
    """(lines x features) matrix for a page and its heuristic result ``res`` (TextResult)."""
    lines = page.lines
    N = len(lines)
    if N == 0:
        return np.zeros((0, len(FEATURES)))
    a, b = res.region
    n = np.fromiter((ln.n for ln in lines), float, N)
    sw = np.fromiter((ln.sw for ln in lines), float, N)
    ends = np.fromiter((ln.ends_sentence for ln in lines), float, N)
    sent = np.fromiter((ln.sentences for ln in lines), float, N)
    chars = np.fromiter((len(ln.text) for ln in lines), float, N)
    prose = np.asarray(res.prose, float)
    furn = np.fromiter((f is not None for f in res.furn), float, N)
    teaser = np.asarray(res.teaser, float)
    heur = np.fromiter((lab is None for lab in res.labels), float, N)
    idx = np.arange(N, dtype=float)
    in_region = ((idx >= a) & (idx <= b)).astype(float)
    dist = np.where(idx < a, a - idx, np.where(idx > b, idx - b, 0.0))
    log_n = np.log1p(n)
    tot = max(n.sum(), 1.0)
    cum = (np.cumsum(n) - n) / tot
    text = "\n".join(ln.text for ln in lines)
    tab = np.fromiter((("\t" in ln.text) for ln in lines), float, N) if "\t" in text else np.zeros(N)
    keys: dict[str, int] = {}
    for ln in lines:
        keys[ln.key] = keys.get(ln.key, 0) + 1
    repeated = np.fromiter((keys[ln.key] > 1 and ln.n > 0 for ln in lines), float, N)
    digits = np.fromiter((sum(map(str.isdigit, ln.text)) for ln in lines), float, N) / np.maximum(chars, 1)
    caps = np.fromiter((sum(1 for t in ln.tokens if t[0].isupper()) for ln in lines), float, N) \
        / np.maximum(np.fromiter((len(ln.tokens) for ln in lines), float, N), 1)
    prose_tok = (n * prose).sum()
    region_share = np.full(N, (n * prose * in_region).sum() / prose_tok if prose_tok else 0.0)
    short = (n < 8).astype(float)
    X = np.column_stack([
        log_n, sw, sw - page.median_sw, ends, np.minimum(sent, 5.0), prose, furn, teaser,
        in_region, heur, np.log1p(dist), idx / max(N - 1, 1), cum,
        _window_mean(prose, 2), _window_mean(heur, 3), _window_mean(log_n, 5),
        _shift(prose, 1), _shift(prose, -1), _shift(log_n, 1), _shift(log_n, -1),
        tab, repeated, digits, caps, region_share, short * in_region, prose * (1 - in_region),
        np.log1p(chars / np.maximum(n, 1)), short, (1 - prose) * (n >= 8),
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


def line_proba(page: Page, res, model: dict | None = None) -> np.ndarray | None:
    model = model or load_model()
    if model is None or not page.lines:
        return None
    return predict(line_features(page, res), model)


def add_lines(labels: list[str | None], res, proba: np.ndarray, thr_add: float) -> list[str | None]:
    """Take in lines the model is confident are body (new list).

    Above the heuristic body start only prose lines are taken: the headline
    block there is metadata, read by :mod:`.metadata`.
    """
    out = list(labels)
    start = body_start(res)
    furn, prose = res.furn, res.prose
    for i in np.flatnonzero(proba > thr_add).tolist():
        lab = out[i]
        if (lab is not None and lab not in _KEEP_REMOVED and furn[i] is None
                and (i >= start or prose[i])):
            out[i] = None
    return out


def drop_lines(labels: list[str | None], furn: list[str | None], proba: np.ndarray, thr_drop: float) -> None:
    """Remove body lines the model is confident are not body (in place; never empties the page)."""
    drop = [i for i in np.flatnonzero(proba < thr_drop).tolist() if labels[i] is None]
    if len(drop) < sum(1 for lab in labels if lab is None):
        for i in drop:
            labels[i] = furn[i] or "other"


def body_start(res) -> int:
    return next((i for i, lab in enumerate(res.labels) if lab is None), res.region[0])


def proba(page: Page, res) -> np.ndarray | None:
    """Body probability of each line, or None without a model."""
    model = load_model()
    if model is None or not page.lines:
        return None
    return predict(line_features(page, res), model)
