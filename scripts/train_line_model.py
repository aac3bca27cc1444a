#!/usr/bin/env python3
"""Train the text-dump line classifier (dagster_project/lib/clean/line_model.json).

    python scripts/train_line_model.py ../shared/benchmarks/article-extraction [--dry-run]

Label of a dump line: body when most of its 4-gram shingles (for lines of 1-3
tokens: its whole token sequence) occur in the page's hand-made articleBody.
Model: L2-regularised logistic regression (Newton steps, numpy only), lines
weighted by their length (the metric counts shingles). The two override
thresholds are chosen on 5-fold cross-validation by page, scoring the full
cleaner (heuristic region + model + post-cleaning) with the benchmark's
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

from dagster_project.lib.clean import clean_document  # noqa: E402
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
DROP_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
ADD_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


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
        raw = (folder / "text-dumps" / f"{i}.txt").read_text(encoding="utf-8", errors="replace")
        page = split_page(raw)
        res = classify(page)
        X = M.line_features(page, res)
        y = line_labels(page, truth[i])
        w = 1.0 + np.array([ln.n for ln in page.lines], float)
        raws[i] = raw
        data[i] = (X, y, w, res)

    # Full cleaner with injected probabilities (keyed by raw text).
    proba: dict[str, np.ndarray] = {}
    thresholds = {"drop": 0.0, "add": 1.01}
    orig = (M.proba, M.load_model)
    M.proba = lambda page, res: proba.get(page.raw)
    M.load_model = lambda path=None: {"thr_drop": thresholds["drop"], "thr_add": thresholds["add"]}

    def f1_of(page_ids, drop, add):
        thresholds.update(drop=drop, add=add)
        rows = [scorer.compare(truth[i], clean_document(raws[i], "text").body_text) for i in page_ids]
        return scorer.aggregate(rows)["f1"]

    try:
        rng = np.random.default_rng(0)
        order = rng.permutation(len(ids))
        folds = [[ids[k] for k in order[f::FOLDS]] for f in range(FOLDS)]
        for f, test in enumerate(folds):
            train = [i for i in ids if i not in set(test)]
            m = prepare((fit_gam if KIND == 'gam' else fit)(np.vstack([data[i][0] for i in train]), np.concatenate([data[i][1] for i in train]),
                            np.concatenate([data[i][2] for i in train])))
            for i in test:
                proba[raws[i]] = M.predict(data[i][0], m)
        base = f1_of(ids, 0.0, 1.01)
        for i in ids:  # oracle: the training labels themselves
            proba[raws[i]], keep = data[i][1], proba[raws[i]]
            data[i] = data[i] + (keep,)
        print(f"oracle (line labels as predictions) F1 {f1_of(ids, 0.5, 0.5):.4f}")
        for i in ids:
            proba[raws[i]] = data[i][4]
        grid = {(d, a): f1_of(ids, d, a) for d in DROP_GRID for a in ADD_GRID}
        (best_d, best_a), cv = max(grid.items(), key=lambda kv: kv[1])
        print(f"heuristic alone F1 {base:.4f}")
        print("CV F1 (held-out folds) by thr_drop x thr_add:")
        print("        " + " ".join(f"{a:6.2f}" for a in ADD_GRID))
        for d in DROP_GRID:
            print(f"  {d:4.2f}  " + " ".join(f"{grid[(d, a)]:6.4f}" for a in ADD_GRID))
        print(f"best CV F1 {cv:.4f} at thr_drop={best_d} thr_add={best_a}")
        full = (fit_gam if KIND == 'gam' else fit)(np.vstack([data[i][0] for i in ids]), np.concatenate([data[i][1] for i in ids]),
                   np.concatenate([data[i][2] for i in ids]))
        full_m = prepare(full)
        for i in ids:
            proba[raws[i]] = M.predict(data[i][0], full_m)
        dev = f1_of(ids, best_d, best_a)
        print(f"dev F1 (trained on all pages) {dev:.4f}")
    finally:
        M.proba, M.load_model = orig
    enabled = cv - base >= MIN_GAIN
    print(f"model {'enabled' if enabled else 'disabled'}: CV gain {cv - base:+.4f} (needs >= {MIN_GAIN})")
    full.update(enabled=enabled, thr_drop=best_d, thr_add=best_a, cv_f1=round(cv, 4),
                heuristic_f1=round(base, 4), dev_f1=round(dev, 4),
                trained_on=f"{len(ids)} pages, {sum(len(data[i][1]) for i in ids)} lines")
    if KIND == "gam":
        full["thresholds"] = [[round(v, 6) for v in t] for t in full["thresholds"]]
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
