#!/usr/bin/env python3
"""Train the text-dump line classifier (dagster_project/lib/clean/line_model.json).

    python scripts/train_line_model.py ../shared/benchmarks/article-extraction [--kind gam|logreg] [--dry-run]

Label of a dump line: body when most of its 4-gram shingles (for lines of 1-3
tokens: its whole token sequence) occur in the page's hand-made articleBody.
Model (numpy only, lines weighted by their length since the metric counts
shingles): ``gam`` (default) = 300 gradient-boosted stumps on log loss, summed
into one step function per feature; ``logreg`` = L2-regularised logistic
regression (Newton steps). The blend of model and heuristic line scores
(alpha, t, c, smooth, k; see model.region_scores) is chosen on
5-fold cross-validation by page, scoring the full cleaner (region search on
the blended scores + post-cleaning) with the benchmark's
``score.py``; the reported CV F1 is that of held-out pages only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dagster_project.lib.clean import clean_text  # noqa: E402
from dagster_project.lib.clean import model as M  # noqa: E402
from dagster_project.lib.clean.lines import split_page  # noqa: E402
from dagster_project.lib.clean.text import classify  # noqa: E402

WORD = re.compile(r"\w+")
L2 = 1.0
ROUNDS = 300
LR = 0.1
LAMBDA = 20.0
KIND = 'gam'
MIN_GAIN = 0.005  # CV F1 over the heuristic alone needed to enable the model
FOLDS = 5
ALPHA_GRID = (0.4, 0.5, 0.7)  # weight of the model score against the heuristic one
T_GRID = (0.3, 0.4)  # probability at which a line scores zero
C_GRID = (8.0, 16.0)  # length offset: short lines still count
SMOOTH_GRID = ((0.0, 3), (0.5, 2), (0.5, 4), (0.8, 3))  # weight of the neighbours' mean probability, window


def load_scorer(folder: Path):
    spec = importlib.util.spec_from_file_location("aeb_score", folder / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def line_labels(page, body: str) -> np.ndarray:
    toks = WORD.findall(body)
    grams = {tuple(toks[i:i + 4]) for i in range(len(toks) - 3)}
    joined = " " + " ".join(toks) + " "
    y = np.zeros(len(page.lines))
    for k, ln in enumerate(page.lines):
        t = ln.tokens
        if not t:
            continue
        if len(t) < 4:
            y[k] = float((" " + " ".join(t) + " ") in joined)
        else:
            g = [tuple(t[i:i + 4]) for i in range(len(t) - 3)]
            y[k] = float(sum(x in grams for x in g) >= 0.5 * len(g))
    return y


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2) -> dict:
    mean = X.mean(0)
    scale = X.std(0)
    scale[scale < 1e-9] = 1.0
    Z = np.column_stack([(X - mean) / scale, np.ones(len(X))])
    beta = np.zeros(Z.shape[1])
    reg = np.full(Z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-np.clip(Z @ beta, -30, 30)))
        g = Z.T @ (w * (p - y)) + reg * beta
        H = (Z * (w * p * (1 - p))[:, None]).T @ Z + np.diag(reg) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(H, g)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return {"features": list(M.FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": beta[:-1].tolist(), "bias": float(beta[-1])}


def fit_gam(X: np.ndarray, y: np.ndarray, w: np.ndarray, rounds: int = ROUNDS, lr: float = LR,
            lam: float = LAMBDA, n_bins: int = 32) -> dict:
    """Gradient-boosted stumps (log loss), summed per feature into step functions."""
    F = X.shape[1]
    thr = []
    for f in range(F):
        q = np.unique(np.quantile(X[:, f], np.linspace(0, 1, n_bins + 1)[1:-1]))
        thr.append(q)
    B = [np.searchsorted(thr[f], X[:, f], side="left") for f in range(F)]
    vals = [np.zeros(len(thr[f]) + 1) for f in range(F)]
    p0 = np.clip(np.average(y, weights=w), 1e-3, 1 - 1e-3)
    base = float(np.log(p0 / (1 - p0)))
    z = np.full(len(y), base)
    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-z))
        g = w * (p - y)
        h = w * p * (1 - p)
        best = (0.0, -1, -1, 0.0, 0.0)
        for f in range(F):
            nb = len(thr[f]) + 1
            if nb < 2:
                continue
            G = np.bincount(B[f], g, nb)
            H = np.bincount(B[f], h, nb)
            GL, HL = np.cumsum(G)[:-1], np.cumsum(H)[:-1]
            Gt, Ht = G.sum(), H.sum()
            gain = GL ** 2 / (HL + lam) + (Gt - GL) ** 2 / (Ht - HL + lam) - Gt ** 2 / (Ht + lam)
            k = int(np.argmax(gain))
            if gain[k] > best[0]:
                best = (float(gain[k]), f, k, -GL[k] / (HL[k] + lam), -(Gt - GL[k]) / (Ht - HL[k] + lam))
        _, f, k, vl, vr = best
        if f < 0:
            break
        vals[f][: k + 1] += lr * vl
        vals[f][k + 1:] += lr * vr
        z += np.where(B[f] <= k, lr * vl, lr * vr)
    return {"kind": "gam", "features": list(M.FEATURES), "base": base,
            "thresholds": [t.tolist() for t in thr], "values": [v.tolist() for v in vals]}


def prepare(m: dict) -> dict:
    return M.prepare(dict(m))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--kind", choices=["gam", "logreg"], default="gam")
    ap.add_argument("--dry-run", action="store_true", help="report only, do not write the model file")
    args = ap.parse_args(argv)
    global KIND
    KIND = args.kind
    folder = args.folder.resolve()
    scorer = load_scorer(folder)
    truth = scorer.load_truth(folder)
    ids = sorted(truth)
    raws, data = {}, {}
    for i in ids:
        raw = (folder / "text-dumps" / f"{i}.txt").read_bytes().decode("utf-8", errors="replace")  # as bench_clean.py
        page = split_page(raw)
        cap = {}

        def capture(page, furn, prose, teaser, scores, cap=cap):
            cap["X"] = M.line_features(page, furn, prose, teaser, scores)
            return None

        classify(page, score_fn=capture)
        y = line_labels(page, truth[i])
        w = 1.0 + np.array([ln.n for ln in page.lines], float)
        raws[i] = raw
        data[i] = (cap.get("X", np.zeros((0, len(M.FEATURES)))), y, w)

    # The full cleaner with per-page (held-out) models injected, keyed by raw text.
    page_model: dict[str, dict] = {}
    blend = {"alpha": 1.0, "t": 0.5, "c": 4.0, "smooth": 0.0, "k": 3}

    def line_model_of(i):  # page i's model with the blend settings; None: heuristic alone
        m = page_model.get(raws[i])
        return None if m is None else {**m, **blend}

    def f1_of(page_ids, **kw):
        blend.update(kw)
        rows = [scorer.compare(truth[i], clean_text(raws[i], line_model=line_model_of(i)).body_text)
                for i in page_ids]
        return scorer.aggregate(rows)["f1"]

    def train(page_ids):
        return (fit_gam if KIND == "gam" else fit)(np.vstack([data[i][0] for i in page_ids]),
                                                  np.concatenate([data[i][1] for i in page_ids]),
                                                  np.concatenate([data[i][2] for i in page_ids]))

    base = f1_of(ids)  # no page model yet: heuristic alone
    print(f"heuristic alone F1 {base:.4f}")
    rng = np.random.default_rng(0)
    order = rng.permutation(len(ids))
    folds = [[ids[k] for k in order[f::FOLDS]] for f in range(FOLDS)]
    for test in folds:
        test_set = set(test)
        m = prepare(train([i for i in ids if i not in test_set]))
        for i in test:
            page_model[raws[i]] = m
    grid = {}
    for alpha in ALPHA_GRID:
        for t in T_GRID:
            for c in C_GRID:
                for smooth, k in SMOOTH_GRID:
                    grid[(alpha, t, c, smooth, k)] = f1_of(ids, alpha=alpha, t=t, c=c, smooth=smooth, k=k)
    best, cv = max(grid.items(), key=lambda kv: kv[1])
    print("CV F1 (held-out folds), best settings of alpha, t, c, smooth, k:")
    for key, v in sorted(grid.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {key}: {v:.4f}")
    alpha, t, c, smooth, k = best
    print(f"best CV F1 {cv:.4f} at alpha={alpha} t={t} c={c} smooth={smooth} k={k}")
    full = train(ids)
    full_m = prepare(dict(full))
    for i in ids:
        page_model[raws[i]] = full_m
    dev = f1_of(ids, alpha=alpha, t=t, c=c, smooth=smooth, k=k)
    print(f"dev F1 (trained on all pages) {dev:.4f}")
    enabled = cv - base >= MIN_GAIN
    print(f"model {'enabled' if enabled else 'disabled'}: CV gain {cv - base:+.4f} (needs >= {MIN_GAIN})")
    full.update(enabled=enabled, alpha=alpha, t=t, c=c, smooth=smooth, k=k, cv_f1=round(cv, 4), heuristic_f1=round(base, 4),
                dev_f1=round(dev, 4), trained_on=f"{len(ids)} pages, {sum(len(data[i][1]) for i in ids)} lines")
    if KIND == "gam":
        # thresholds keep full precision: many feature values (ratios) sit exactly on one
        full["values"] = [[round(v, 5) for v in t] for t in full["values"]]
    else:
        for k in ("mean", "scale", "coef"):
            full[k] = [round(v, 6) for v in full[k]]
        full["bias"] = round(full["bias"], 6)
    if not args.dry_run:
        M.MODEL_PATH.write_text(json.dumps(full, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {M.MODEL_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
