"""Score the extraction step against the hand annotation of the sample articles.

    .venv/bin/python scripts/eval_extraction.py              # real cleaning + extraction
    .venv/bin/python scripts/eval_extraction.py --gold-slice # gold body (first..last line)

Scoring follows tests/data/gold/README.md:

- Figures, per mention: a predicted mention matches a gold mention of the same
  article when the values agree within 0.5 % and the units agree (one-to-one;
  the predicted mention nearest the gold quote wins). Predicted mentions on a
  ``borderline_figures`` or ``ranks`` quote are neutral. Merging: predicted
  mentions are grouped across articles by ``figure_dedup_key`` =
  (unit, value to 4 significant digits, value_high, qualifier); a gold figure
  with mentions in several articles is merged when all its matched mentions
  share one key.
- Events with a stated date, per mention: same article, dates agree at the
  gold precision (a predicted date may be finer and consistent, or coarser
  down to the month when the gold is a day), and at least one actor agrees
  (when the gold lists no actors, the date alone). Predicted events on the
  quote of a mention whose date is not stated, or of an optional/undated
  event, are neutral. Type agreement: gold type or one of its alt_types.
- Actors: predicted actors are grouped by canonical name over all articles
  with their surface forms; a gold actor is found when a predicted actor's
  name or surface matches its name, aliases or adjectival forms; split when
  several do. A predicted actor matching ``must_not_appear_as_actor`` leaks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project.lib.extract import extract_article, figure_dedup_key  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold" / "seeds.yaml"
RAW = ROOT / "raw"


def norm(s: str) -> str:
    s = s.replace("’", "'").replace("–", "-").strip().lower()
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"\s+", " ", s)


def singular(u: str) -> str:
    u = norm(u)
    return u[:-1] if u.endswith("s") and not u.endswith("ss") else u


def gold_body(raw: str, art: dict) -> tuple[str, int | None]:
    lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    first = lines.index(art["body_first_line"].strip())
    last = lines.index(art["body_last_line"].strip(), first)
    body = "\n\n".join(lines[first : last + 1])
    trunc = None
    if art.get("truncated") and art.get("truncated_fragment"):
        pos = body.rfind(art["truncated_fragment"].strip())
        trunc = pos if pos >= 0 else None
    return body, trunc


def load_bodies(gold: dict, gold_slice: bool) -> dict[str, dict]:
    out = {}
    for stem, art in gold["articles"].items():
        raw = (RAW / f"{stem}.txt").read_text(encoding="utf-8")
        if gold_slice:
            body, trunc = gold_body(raw, art)
            pub = dt.date.fromisoformat(art["published"]) if art.get("published") else None
        else:
            from dagster_project.lib.clean import clean_document

            cleaned = clean_document(raw, "text")
            body, trunc, pub = cleaned.body_text, cleaned.truncated_from, cleaned.published_date
        out[stem] = {"body": body, "trunc": trunc, "published": pub}
    return out


def quote_pos(body: str, quote: str) -> tuple[int, int] | None:
    i = body.find(quote)
    return (i, i + len(quote)) if i >= 0 else None


def dist(span: tuple[int, int] | None, a: int, b: int) -> int:
    if span is None:
        return 10**9
    s, e = span
    if a < e and s < b:
        return 0
    return min(abs(a - e), abs(s - b))


def greedy_match(pairs: list[tuple[int, object, object]]) -> list[tuple[object, object]]:
    """pairs: (cost, gold_key, pred_key) -> one-to-one by ascending cost."""
    used_g, used_p, out = set(), set(), []
    for _, g, p in sorted(pairs, key=lambda x: x[0]):
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        out.append((g, p))
    return out


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 1.0
    r = tp_g / n_g if n_g else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# --- figures --------------------------------------------------------------


def score_figures(gold, bodies, ext, show):
    gold_mentions = []  # (fid, article, quote, span)
    for f in gold["figures"]:
        for m in f["mentions"]:
            gold_mentions.append(
                (
                    f["id"],
                    m["article"],
                    m["quote"],
                    quote_pos(bodies[m["article"]]["body"], m["quote"]),
                )
            )
    neutral = defaultdict(list)
    for b in gold.get("borderline_figures", []):
        neutral[b["article"]].append(b["quote"])
    for r in gold.get("ranks", []):
        for m in r["mentions"]:
            neutral[m["article"]].append(m["quote"])
    gold_by_id = {f["id"]: f for f in gold["figures"]}
    preds = [(stem, i, fm) for stem, x in ext.items() for i, fm in enumerate(x.figure_mentions)]
    pairs = []
    for gi, (fid, art, _quote, span) in enumerate(gold_mentions):
        g = gold_by_id[fid]
        for pi, (stem, _, fm) in enumerate(preds):
            if stem != art:
                continue
            if abs(fm.value - g["value"]) > 0.005 * abs(g["value"]):
                continue
            if singular(fm.unit) != singular(g["unit"]):
                continue
            pairs.append((dist(span, fm.char_start, fm.char_end), gi, pi))
    matches = greedy_match(pairs)
    matched_g = {g for g, _ in matches}
    matched_p = {p for _, p in matches}
    neutral_p = set()
    for pi, (stem, _, fm) in enumerate(preds):
        if pi in matched_p:
            continue
        for q in neutral[stem]:
            sp = quote_pos(bodies[stem]["body"], q)
            if sp and dist(sp, fm.char_start, fm.char_end) == 0:
                neutral_p.add(pi)
    n_pred = len(preds) - len(neutral_p)
    p, r, f = prf(len(matched_p), n_pred, len(matched_g), len(gold_mentions))
    print(
        f"FIGURES  P={p:.3f} R={r:.3f} F1={f:.3f}  (pred {n_pred} [+{len(neutral_p)} neutral], "
        f"gold mentions {len(gold_mentions)}, matched {len(matches)})"
    )
    # Merging across articles.
    keys_by_gold = defaultdict(set)
    arts_by_gold = defaultdict(set)
    for g, pi in matches:
        fid, art = gold_mentions[g][0], gold_mentions[g][1]
        fm = preds[pi][2]
        keys_by_gold[fid].add(figure_dedup_key(fm.unit, fm.value, fm.value_high, fm.qualifier))
        arts_by_gold[fid].add(art)
    multi = [fid for fid, g in gold_by_id.items() if len({m["article"] for m in g["mentions"]}) > 1]
    merged = [
        fid
        for fid in multi
        if len(arts_by_gold[fid]) == len({m["article"] for m in gold_by_id[fid]["mentions"]})
        and len(keys_by_gold[fid]) == 1
    ]
    owners = defaultdict(set)
    for fid, ks in keys_by_gold.items():
        for k in ks:
            owners[k].add(fid)
    wrongly = [sorted(v) for v in owners.values() if len(v) > 1]
    print(
        f"  multi-article gold figures merged: {len(merged)}/{len(multi)}; "
        f"distinct gold figures sharing one key: {len(wrongly)} {wrongly if wrongly else ''}"
    )
    if show:
        for gi, (fid, art, quote, span) in enumerate(gold_mentions):
            if gi not in matched_g:
                g = gold_by_id[fid]
                print(
                    f"  MISS  {art[:3]} {fid}: {g['value']:g} {g['unit']} ({g['qualifier']}) « {quote} »"
                    + ("" if span else "  [quote not in body]")
                )
        for pi, (stem, _, fm) in enumerate(preds):
            if pi not in matched_p and pi not in neutral_p:
                print(
                    f"  FALSE {stem[:3]} {fm.value:g}{'-' + format(fm.value_high, 'g') if fm.value_high else ''} "
                    f"{fm.unit} ({fm.qualifier}) « {fm.surface_text} »"
                )
    return p, r, len(merged), len(multi)


# --- events ---------------------------------------------------------------


def _precision_of(d: str) -> str:
    if re.fullmatch(r"(?:\d{4}|XXXX)-\d{2}-\d{2}", d):
        return "day"
    if re.fullmatch(r"(?:\d{4}|XXXX)-\d{2}", d):
        return "month"
    return "other"


def dates_agree(gold_date: str, pred: str | None) -> bool:
    if pred is None:
        return False
    g = str(gold_date).replace("/..", "")
    if g == pred:
        return True
    if "/" in g or "/" in pred or "s" in g or "century" in g:
        return False
    if pred.startswith(g + "-"):  # predicted finer and consistent
        return True
    if _precision_of(g) == "day" and _precision_of(pred) == "month" and g.startswith(pred + "-"):
        return True  # the mention states the month of a day-dated event
    return False


def score_events(gold, bodies, ext, show, actor_alias_map):
    required, neutral_quotes = [], defaultdict(list)
    for ev in gold["events"]:
        for m in ev["mentions"]:
            if "date_stated" in m:
                neutral_quotes[m["article"]].append(m["quote"])
            else:
                required.append(
                    (
                        ev,
                        m["article"],
                        m["quote"],
                        quote_pos(bodies[m["article"]]["body"], m["quote"]),
                    )
                )
    for ev in gold.get("undated_events_optional", []):
        for m in ev["mentions"]:
            neutral_quotes[m["article"]].append(m["quote"])
    preds = [(stem, em) for stem, x in ext.items() for em in x.event_mentions if em.event_date]

    def canon(name: str) -> str:
        return actor_alias_map.get(norm(name), norm(name))

    pairs = []
    for gi, (ev, art, _quote, span) in enumerate(required):
        gacts = {canon(a) for a in ev.get("actors", [])}
        for pi, (stem, em) in enumerate(preds):
            if stem != art or not dates_agree(ev["date"], em.event_date):
                continue
            pacts = {canon(a) for a in em.actor_names}
            if gacts and not gacts & pacts:
                continue
            type_miss = em.event_type not in {ev["type"], *ev.get("alt_types", [])}
            pairs.append(((dist(span, em.char_start, em.char_end), type_miss), gi, pi))
    matches = greedy_match(pairs)
    matched_g = {g for g, _ in matches}
    matched_p = {p for _, p in matches}
    neutral_p = set()
    for pi, (stem, em) in enumerate(preds):
        if pi in matched_p:
            continue
        for q in neutral_quotes[stem]:
            sp = quote_pos(bodies[stem]["body"], q)
            if sp and dist(sp, em.char_start, em.char_end) == 0:
                neutral_p.add(pi)
    n_pred = len(preds) - len(neutral_p)
    p, r, f = prf(len(matched_p), n_pred, len(matched_g), len(required))
    type_ok = sum(
        1
        for g, pi in matches
        if preds[pi][1].event_type in {required[g][0]["type"], *required[g][0].get("alt_types", [])}
    )
    ta = type_ok / len(matches) if matches else 0.0
    print(
        f"EVENTS (stated dates)  P={p:.3f} R={r:.3f} F1={f:.3f}  type agreement={ta:.3f} ({type_ok}/{len(matches)})"
        f"  (pred {n_pred} [+{len(neutral_p)} neutral], gold mentions {len(required)})"
    )
    if show:
        for gi, (ev, art, quote, span) in enumerate(required):
            if gi not in matched_g:
                print(
                    f"  MISS  {art[:3]} {ev['id']} [{ev['type']} {ev['date']}] « {quote} »"
                    + ("" if span else "  [quote not in body]")
                )
        for g, pi in matches:
            ev, em = required[g][0], preds[pi][1]
            if em.event_type not in {ev["type"], *ev.get("alt_types", [])}:
                print(
                    f"  TYPE  {preds[pi][0][:3]} {ev['id']}: gold {ev['type']} / pred {em.event_type}"
                )
        for pi, (stem, em) in enumerate(preds):
            if pi not in matched_p and pi not in neutral_p:
                print(
                    f"  FALSE {stem[:3]} [{em.event_type} {em.event_date}] « {em.surface_text[:110]} »"
                )
    return p, r, ta


# --- actors ---------------------------------------------------------------


def score_actors(gold, ext, show):
    pred = defaultdict(set)
    for _stem, x in ext.items():
        for am in x.actor_mentions:
            pred[am.canonical_name].add(am.surface_text)
    pred_forms = {c: {norm(c)} | {norm(s) for s in forms} for c, forms in pred.items()}
    found, split, missing = 0, [], []
    gold_forms_all = set()
    for a in gold["actors"]:
        forms = (
            {norm(a["name"])}
            | {norm(x) for x in a.get("aliases_seen", [])}
            | {norm(x) for x in a.get("adjectival_forms_seen", [])}
        )
        gold_forms_all |= forms
        hits = [c for c, pf in pred_forms.items() if pf & forms]
        if hits:
            found += 1
        else:
            missing.append(a["name"])
        if len(hits) > 1:
            split.append((a["name"], hits))
    bad = {norm(x) for x in gold["must_not_appear_as_actor"]}
    leaks = [(c, sorted(pf & bad)) for c, pf in pred_forms.items() if pf & bad]
    print(
        f"ACTORS  found {found}/{len(gold['actors'])}, split {len(split)}, leaked {len(leaks)}"
        f"  (predicted actors {len(pred)})"
    )
    if show:
        for m in missing:
            print(f"  MISS  {m}")
        for name, hits in split:
            print(f"  SPLIT {name}: {hits}")
        for c, forms in leaks:
            print(f"  LEAK  {c} via {forms}")
        border = set()
        for v in gold.get("borderline_actors", {}).values():
            border |= {norm(re.sub(r"\s*\(.*\)$", "", x)) for x in v}
        extra = sorted(
            c for c, pf in pred_forms.items() if not pf & (gold_forms_all | bad | border)
        )
        if extra:
            print(f"  (not in gold, not penalised: {', '.join(extra)})")
    alias_map = {}
    for a in gold["actors"]:
        for x in [a["name"], *a.get("aliases_seen", []), *a.get("adjectival_forms_seen", [])]:
            alias_map[norm(x)] = norm(a["name"])
    return found, len(gold["actors"]), len(split), len(leaks), alias_map


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--gold-slice",
        action="store_true",
        help="score on the gold body (body_first_line..body_last_line) to isolate extraction",
    )
    ap.add_argument("-q", "--quiet", action="store_true", help="totals only, no per-item lists")
    args = ap.parse_args()
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    bodies = load_bodies(gold, args.gold_slice)
    ext = {
        stem: extract_article(b["body"], published_date=b["published"], truncated_from=b["trunc"])
        for stem, b in bodies.items()
    }
    # Span invariant, checked on every run.
    bad = 0
    for stem, x in ext.items():
        body = bodies[stem]["body"]
        for c in x.claims:
            bad += body[c.char_start : c.char_end] != c.text
        for m in (*x.actor_mentions, *x.figure_mentions, *x.event_mentions):
            bad += body[m.char_start : m.char_end] != m.surface_text
    mode = "gold-sliced bodies" if args.gold_slice else "clean_document bodies"
    print(
        f"mode: {mode}; articles {len(ext)}; claims {sum(len(x.claims) for x in ext.values())}; "
        f"span invariant violations {bad}"
    )
    show = not args.quiet
    found, n_act, n_split, n_leak, alias_map = score_actors(gold, ext, show)
    score_figures(gold, bodies, ext, show)
    score_events(gold, bodies, ext, show, alias_map)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
