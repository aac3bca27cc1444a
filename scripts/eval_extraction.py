"""Score the published marts against hand annotations, by running the real pipeline.

    .venv/bin/python scripts/eval_extraction.py                           # the samples
    .venv/bin/python scripts/eval_extraction.py --news-dev ../shared/gold/news-dev
    .venv/bin/python scripts/eval_extraction.py --news-dev DIR --show     # every miss and false hit

For each set, the article files are COPIED (names kept: articles are matched to
the gold by file stem) into a temporary RAW_DIR, ``python -m dagster_project.cli
run`` builds a temporary warehouse there (its own WAREHOUSE_DIR and
DAGSTER_HOME), and the marts are read back read-only. Only what an analyst sees
is scored: ``dim_articles``, ``dim_actors``, ``fct_figure_mentions`` and
``fct_event_mentions``. Copies, not symlinks, because the pipeline may refuse
links that resolve outside RAW_DIR; the temporary folder is deleted afterwards
(``--keep DIR`` keeps the run there instead).

(Over 400 lines on purpose: the runner and the scoring rules of both gold
layouts stay in one script, so one file says how every number is computed.)

Two gold layouts are read:

- the samples' per-fact layout (``tests/data/gold/seeds.yaml``, articles in
  ``raw/``; rules in ``tests/data/gold/README.md``);
- the per-article layout of the real-news development set
  (``<dir>/gold.yaml``, articles beside it; rules in ``<dir>/README.md``). It is
  third-party text: it is read by path and never copied into the project. When
  the folder is absent, that set is skipped with a message.

Scoring, per the two READMEs:

- Figures, per mention: a predicted mention matches a gold mention of the same
  article when the values agree within 0.5 % and the units agree (samples: the
  same unit, singular; dev set: the same unit category, money / percent /
  length / count, a count matching anything but money). One-to-one, the
  predicted mention nearest the gold quote wins. On the samples, mentions on a
  ``borderline_figures`` or ``ranks`` quote are neutral; the dev set has no
  neutral figures. Merging (samples): a gold figure stated in several articles
  is merged when all its matched mentions carry one warehouse ``figure_id``;
  distinct gold figures sharing one ``figure_id`` are reported.
- Events with a stated date, per mention: same article, dates agreeing at the
  coarser of the two precisions (``XXXX`` matches any year, an open range
  ``1962/..`` from its start), and at least one actor agreeing (samples: through
  the gold alias table; dev set: a predicted actor's canonical name or one of
  its ``dim_actors`` aliases equals a gold event actor, normalised). Predicted
  events with a date on a ``date_stated: false`` or undated-optional quote are
  neutral on the samples; the dev set counts them as false hits. Type agreement
  (gold type or an alt type; a finer type outside the base list agrees with a
  gold ``other``) over the matched mentions.
- Actors: gold actors merged by canonical name with their surface forms; found
  when a ``dim_actors`` row's canonical name or alias matches one of its forms,
  split when several rows do, leaked when a row matches a
  ``must_not_appear_as_actor`` name. '% real' = rows of ``dim_actors`` that match
  a gold actor.
- Boilerplate: each listed boilerplate line (12+ characters) must be absent from
  the article's ``body_text`` (its first 40 characters, whitespace collapsed);
  both body edges (first 60 characters of the first and last body line) must be
  present.
- Article date: ``dim_articles.published_date`` equals the gold date, over the
  articles whose gold states one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES_GOLD = ROOT / "tests" / "data" / "gold" / "seeds.yaml"
SAMPLES_RAW = ROOT / "raw"

# The event types of the extraction contract before issue 12; a finer type
# outside this list agrees with a gold 'other' (dev-set rule).
BASE_EVENT_TYPES = {
    "meeting", "visit", "phone_call", "agreement_signed", "agreement_ratified",
    "military_supply", "investment", "sanctions", "war_outbreak", "invasion",
    "revolution", "diplomatic_crisis", "rapprochement", "embargo_end", "other",
}


# --- text helpers -----------------------------------------------------------


def norm(s: str) -> str:
    """The scorers' name normaliser: lower case, leading 'the' and punctuation stripped."""
    s = s.replace("’", "'").replace("–", "-").strip().lower()
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"[^\w\s]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def singular(u: str) -> str:
    u = u.strip().lower()
    return u[:-1] if u.endswith("s") and not u.endswith("ss") else u


_MONEY = re.compile(
    r"[$€£¥₹₩₽]|\b(?:USD|EUR|GBP|CNY|RMB|JPY|INR|KRW|RUB|TRY|CHF|AUD|CAD|SAR|AED|QAR|PKR|NGN)\b"
    r"|\b(?:dollars?|euros?|pounds?|yuan|renminbi|yen|rupees?|won|roubles?|rubles?|lira|naira|riyals?)\b",
    re.I,
)
_LENGTH = re.compile(r"^(?:km|kilomet(?:er|re)s?|m|met(?:er|re)s?|miles?|feet|foot|ft)$", re.I)


def unit_category(unit: str) -> str:
    if _MONEY.search(unit or ""):
        return "money"
    if (unit or "").strip().lower() in {"percent", "%", "per cent", "percentage point"}:
        return "percent"
    if _LENGTH.match((unit or "").strip()):
        return "length"
    return "count"


def units_agree_exact(gold_unit: str, pred_unit: str) -> bool:
    return singular(gold_unit) == singular(pred_unit)


def units_agree_category(gold_unit: str, pred_unit: str) -> bool:
    g, p = unit_category(gold_unit), unit_category(pred_unit)
    if g == p:
        return True
    return "money" not in (g, p) and "count" in (g, p)


def _parts(d: str) -> list[str] | None:
    """'2022-02-24' -> ['2022', '02', '24']; None for decades, centuries, ranges."""
    d = str(d).strip()
    if re.fullmatch(r"(?:\d{4}|XXXX)(?:-\d{2}(?:-\d{2})?)?", d):
        return d.split("-")
    return None


def dates_agree(gold_date: str, pred: str | None) -> bool:
    """Agreement at the coarser of the two precisions; XXXX is any year."""
    if pred is None:
        return False
    g = str(gold_date).replace("/..", "")
    if g == pred:
        return True
    gp, pp = _parts(g), _parts(pred)
    if gp is None or pp is None:
        return False
    n = min(len(gp), len(pp))
    for a, b in zip(gp[:n], pp[:n], strict=True):
        if a != b and "XXXX" not in (a, b):
            return False
    return True


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


def greedy_match(pairs: list[tuple[object, object, object]]) -> list[tuple[object, object]]:
    """pairs: (cost, gold_key, pred_key) -> one-to-one by ascending cost."""
    used_g, used_p, out = set(), set(), []
    for _, g, p in sorted(pairs, key=lambda x: x[0]):
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        out.append((g, p))
    return out


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


# --- gold, in one shape for both layouts ------------------------------------


@dataclass
class Gold:
    name: str
    article_dir: Path
    articles: dict[str, dict]  # stem -> published, first, last, boilerplate
    figures: list[dict]  # gid, art, quote, value, unit, qualifier
    figure_neutral: dict[str, list[str]]
    events: list[dict]  # id, art, quote, date, type, alt_types, actors
    event_neutral: dict[str, list[str]]
    actors: list[dict]  # name, forms
    must_not: list[str]
    units_agree: object
    alias_events: bool  # samples: event actors compared through the gold alias table
    multi_article_figures: dict[str, set] = field(default_factory=dict)


def load_samples_gold(path: Path, article_dir: Path) -> Gold:
    g = yaml.safe_load(path.read_text(encoding="utf-8"))
    articles = {
        stem: {
            "published": a.get("published"),
            "first": a["body_first_line"],
            "last": a["body_last_line"],
            "boilerplate": a.get("boilerplate_lines") or [],
        }
        for stem, a in g["articles"].items()
    }
    figures, multi = [], {}
    for f in g["figures"]:
        arts = {m["article"] for m in f["mentions"]}
        if len(arts) > 1:
            multi[f["id"]] = arts
        for m in f["mentions"]:
            figures.append({"gid": f["id"], "art": m["article"], "quote": m["quote"],
                            "value": f["value"], "unit": f["unit"], "qualifier": f["qualifier"]})
    fneutral = defaultdict(list)
    for b in g.get("borderline_figures", []):
        fneutral[b["article"]].append(b["quote"])
    for r in g.get("ranks", []):
        for m in r["mentions"]:
            fneutral[m["article"]].append(m["quote"])
    events, eneutral = [], defaultdict(list)
    for ev in g["events"]:
        for m in ev["mentions"]:
            if "date_stated" in m:
                eneutral[m["article"]].append(m["quote"])
            else:
                events.append({"id": ev["id"], "art": m["article"], "quote": m["quote"],
                               "date": str(ev["date"]), "type": ev["type"],
                               "alt_types": ev.get("alt_types", []), "actors": ev.get("actors", [])})
    for ev in g.get("undated_events_optional", []):
        for m in ev["mentions"]:
            eneutral[m["article"]].append(m["quote"])
    actors = [
        {"name": a["name"],
         "forms": {norm(a["name"])} | {norm(x) for x in a.get("aliases_seen", [])}
         | {norm(x) for x in a.get("adjectival_forms_seen", [])}}
        for a in g["actors"]
    ]
    return Gold("samples", article_dir, articles, figures, fneutral, events, eneutral, actors,
                g["must_not_appear_as_actor"], units_agree_exact, True, multi)


def load_news_gold(folder: Path) -> Gold:
    g = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    articles, figures, events = {}, [], []
    merged = defaultdict(set)
    for stem, a in g["articles"].items():
        articles[stem] = {
            "published": a.get("published"),
            "first": a["body_first_line"],
            "last": a["body_last_line"],
            "boilerplate": a.get("boilerplate_lines") or [],
        }
        for i, f in enumerate(a.get("figures") or []):
            figures.append({"gid": f"{stem[:2]}-f{i}", "art": stem, "quote": f["quote"],
                            "value": f["value"], "unit": f["unit"], "qualifier": f["qualifier"]})
        for i, ev in enumerate(a.get("dated_events") or []):
            events.append({"id": f"{stem[:2]}-e{i}", "art": stem, "quote": ev["quote"],
                           "date": str(ev["date"]), "type": ev["type"],
                           "alt_types": ev.get("alt_types", []), "actors": ev.get("actors", [])})
        for canon, surfaces in (a.get("actors") or {}).items():
            merged[canon] |= {norm(canon)} | {norm(s) for s in surfaces or []}
    actors = [{"name": c, "forms": f} for c, f in sorted(merged.items())]
    return Gold("news-dev", folder, articles, figures, defaultdict(list), events,
                defaultdict(list), actors, g["must_not_appear_as_actor"], units_agree_category,
                False)


# --- the pipeline run and what it published ---------------------------------


def refresh_manifest() -> None:
    """dbt's manifest must match the dbt project (as ``make`` ensures), or the run fails."""
    dbt_dir = ROOT / "dbt"
    manifest = dbt_dir / "target" / "manifest.json"
    files = [p for d in ("models", "macros", "seeds", "tests") for p in (dbt_dir / d).rglob("*")
             if p.is_file()] + [dbt_dir / "dbt_project.yml"]
    if manifest.exists() and manifest.stat().st_mtime >= max(p.stat().st_mtime for p in files):
        return
    print("refreshing dbt's manifest (dbt parse) ...", flush=True)
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt), "parse", "--quiet", "--profiles-dir", "."], cwd=dbt_dir, check=True)
    manifest.touch()


def run_pipeline(gold: Gold, workdir: Path) -> Path:
    """Copy the gold's articles into workdir/raw, run the CLI, return the published DB."""
    raw = workdir / "raw"
    raw.mkdir(parents=True)
    for stem in gold.articles:
        shutil.copyfile(gold.article_dir / f"{stem}.txt", raw / f"{stem}.txt")
    env = dict(os.environ, RAW_DIR=str(raw), WAREHOUSE_DIR=str(workdir / "warehouse"),
               DAGSTER_HOME=str(workdir / "dagster_home"))
    log = workdir / "pipeline.log"
    with log.open("w") as fh:
        rc = subprocess.run([sys.executable, "-m", "dagster_project.cli", "run"], cwd=ROOT,
                            env=env, stdout=fh, stderr=subprocess.STDOUT).returncode
    db = workdir / "warehouse" / "warehouse.duckdb"
    if rc != 0:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        print(f"pipeline run failed (exit {rc}); last lines of {log}:", *tail, sep="\n  ")
        if not db.exists():
            raise SystemExit(1)
    return db


@dataclass
class Published:
    articles: dict[str, dict]
    figures: list[dict]
    events: list[dict]
    actors: dict[str, dict]  # canonical -> type, forms
    span_violations: int = 0


def read_marts(db: Path) -> Published:
    con = duckdb.connect(str(db), read_only=True)
    try:
        arts = {}
        for aid, path, body, pub, status in con.execute(
            "select article_id, source_path, body_text, published_date, status from marts.dim_articles"
        ).fetchall():
            arts[aid] = {"stem": Path(path).stem, "body": body or "", "published": pub,
                         "status": status}
        figs = [
            {"stem": arts[aid]["stem"], "start": s, "end": e, "surface": t, "value": v,
             "value_high": vh, "unit": u, "qualifier": q, "figure_id": fid}
            for aid, s, e, t, v, vh, u, q, fid in con.execute(
                "select article_id, char_start, char_end, surface_text, value, value_high, unit,"
                " qualifier, figure_id from marts.fct_figure_mentions"
            ).fetchall()
        ]
        evs = [
            {"stem": arts[aid]["stem"], "start": s, "end": e, "surface": t, "type": ty,
             "date": d, "actors": list(an or [])}
            for aid, s, e, t, ty, d, an in con.execute(
                "select article_id, char_start, char_end, surface_text, event_type, event_date,"
                " actor_names from marts.fct_event_mentions where event_date is not null"
            ).fetchall()
        ]
        actors = {
            c: {"type": t, "forms": {norm(c)} | {norm(x) for x in al or []}}
            for c, t, al in con.execute(
                "select canonical_name, actor_type, aliases from marts.dim_actors"
            ).fetchall()
        }
    finally:
        con.close()
    by_stem = {a["stem"]: a for a in arts.values()}
    pub = Published(by_stem, figs, evs, actors)
    # Span invariant: every published mention is the body's text at its span.
    pub.span_violations = sum(
        by_stem[m["stem"]]["body"][m["start"] : m["end"]] != m["surface"] for m in (*figs, *evs)
    )
    return pub


# --- scorers ----------------------------------------------------------------


def body_of(pub: Published, stem: str) -> str:
    return pub.articles.get(stem, {}).get("body", "")


def score_figures(gold: Gold, pub: Published, show: bool) -> dict:
    spans = [quote_pos(body_of(pub, m["art"]), m["quote"]) for m in gold.figures]
    preds = [f for f in pub.figures if f["stem"] in gold.articles]
    pairs = []
    for gi, m in enumerate(gold.figures):
        for pi, f in enumerate(preds):
            if f["stem"] != m["art"] or f["value"] is None:
                continue
            if abs(f["value"] - m["value"]) > 0.005 * abs(m["value"]):
                continue
            if not gold.units_agree(m["unit"], f["unit"] or ""):
                continue
            pairs.append((dist(spans[gi], f["start"], f["end"]), gi, pi))
    matches = greedy_match(pairs)
    mg, mp = {g for g, _ in matches}, {p for _, p in matches}
    neutral = set()
    for pi, f in enumerate(preds):
        if pi in mp:
            continue
        for q in gold.figure_neutral.get(f["stem"], []):
            sp = quote_pos(body_of(pub, f["stem"]), q)
            if sp and dist(sp, f["start"], f["end"]) == 0:
                neutral.add(pi)
    n_pred = len(preds) - len(neutral)
    out = {"P": ratio(len(mp), n_pred), "R": ratio(len(mg), len(gold.figures)),
           "pred": n_pred, "neutral": len(neutral), "gold": len(gold.figures)}
    # Merging across articles, on the warehouse's figure_id.
    ids_by_gold, arts_by_gold = defaultdict(set), defaultdict(set)
    for gi, pi in matches:
        ids_by_gold[gold.figures[gi]["gid"]].add(preds[pi]["figure_id"])
        arts_by_gold[gold.figures[gi]["gid"]].add(gold.figures[gi]["art"])
    merged = [gid for gid, arts in gold.multi_article_figures.items()
              if arts_by_gold[gid] == arts and len(ids_by_gold[gid]) == 1]
    owners = defaultdict(set)
    for gid, ids in ids_by_gold.items():
        for i in ids:
            owners[i].add(gid)
    out["merged"], out["multi"] = len(merged), len(gold.multi_article_figures)
    # Only the per-fact layout says which mentions are one fact; the dev set's
    # repeats of one fact inside an article may well share a figure_id.
    out["shared_ids"] = (sorted(sorted(v) for v in owners.values() if len(v) > 1)
                         if gold.multi_article_figures else [])
    if show:
        print(f"-- figures ({gold.name})")
        for gi, m in enumerate(gold.figures):
            if gi not in mg:
                print(f"  MISS  {m['art'][:3]} {m['value']:g} {m['unit']} ({m['qualifier']})"
                      f" « {m['quote']} »" + ("" if spans[gi] else "  [quote not in body]"))
        for pi, f in enumerate(preds):
            if pi not in mp and pi not in neutral:
                hi = f"-{f['value_high']:g}" if f["value_high"] is not None else ""
                print(f"  FALSE {f['stem'][:3]} {f['value']:g}{hi} {f['unit']} ({f['qualifier']})"
                      f" « {f['surface']} »")
        for gids in out["shared_ids"]:
            print(f"  SHARED figure_id across distinct gold figures: {gids}")
        for gid in sorted(set(gold.multi_article_figures) - set(merged)):
            print(f"  UNMERGED {gid}: figure_ids {sorted(ids_by_gold[gid])}")
    return out


def score_events(gold: Gold, pub: Published, show: bool) -> dict:
    alias = {}
    for a in gold.actors:
        for f in a["forms"]:
            alias[f] = norm(a["name"])
    spans = [quote_pos(body_of(pub, m["art"]), m["quote"]) for m in gold.events]
    preds = [e for e in pub.events if e["stem"] in gold.articles]

    def pred_names(e: dict) -> set[str]:
        names = set()
        for a in e["actors"]:
            names |= pub.actors.get(a, {}).get("forms", set()) | {norm(a)}
        if gold.alias_events:
            names |= {alias.get(n, n) for n in names}
        return names

    def type_ok(m: dict, t: str) -> bool:
        ok = {m["type"], *m["alt_types"]}
        return t in ok or ("other" in ok and t not in BASE_EVENT_TYPES)

    pairs = []
    for gi, m in enumerate(gold.events):
        gacts = {norm(a) for a in m["actors"]}
        if gold.alias_events:
            gacts = {alias.get(a, a) for a in gacts}
        for pi, e in enumerate(preds):
            if e["stem"] != m["art"] or not dates_agree(m["date"], e["date"]):
                continue
            if gacts and not gacts & pred_names(e):
                continue
            pairs.append(((dist(spans[gi], e["start"], e["end"]), not type_ok(m, e["type"])),
                          gi, pi))
    matches = greedy_match(pairs)
    mg, mp = {g for g, _ in matches}, {p for _, p in matches}
    neutral = set()
    for pi, e in enumerate(preds):
        if pi in mp:
            continue
        for q in gold.event_neutral.get(e["stem"], []):
            sp = quote_pos(body_of(pub, e["stem"]), q)
            if sp and dist(sp, e["start"], e["end"]) == 0:
                neutral.add(pi)
    n_pred = len(preds) - len(neutral)
    typed = sum(type_ok(gold.events[g], preds[p]["type"]) for g, p in matches)
    out = {"P": ratio(len(mp), n_pred), "R": ratio(len(mg), len(gold.events)),
           "type": typed / len(matches) if matches else 0.0, "pred": n_pred,
           "neutral": len(neutral), "gold": len(gold.events)}
    if show:
        print(f"-- events ({gold.name})")
        for gi, m in enumerate(gold.events):
            if gi not in mg:
                print(f"  MISS  {m['art'][:3]} [{m['type']} {m['date']}] {m['actors']}"
                      f" « {m['quote']} »" + ("" if spans[gi] else "  [quote not in body]"))
        for g, p in matches:
            if not type_ok(gold.events[g], preds[p]["type"]):
                print(f"  TYPE  {preds[p]['stem'][:3]} {gold.events[g]['id']}: gold"
                      f" {gold.events[g]['type']} / pred {preds[p]['type']}")
        for pi, e in enumerate(preds):
            if pi not in mp and pi not in neutral:
                print(f"  FALSE {e['stem'][:3]} [{e['type']} {e['date']}] {e['actors']}"
                      f" « {e['surface'][:110]} »")
    return out


def score_actors(gold: Gold, pub: Published, show: bool) -> dict:
    found, split, missing, real = 0, [], [], set()
    for a in gold.actors:
        hits = [c for c, p in pub.actors.items() if p["forms"] & a["forms"]]
        real |= set(hits)
        if hits:
            found += 1
        else:
            missing.append(a["name"])
        if len(hits) > 1:
            split.append((a["name"], hits))
    bad = {norm(x) for x in gold.must_not}
    leaks = [(c, sorted(p["forms"] & bad)) for c, p in pub.actors.items() if p["forms"] & bad]
    out = {"found": found, "gold": len(gold.actors), "split": len(split), "leaked": len(leaks),
           "pred": len(pub.actors), "real": ratio(len(real), len(pub.actors))}
    if show:
        print(f"-- actors ({gold.name})")
        for m in missing:
            print(f"  MISS  {m}")
        for name, hits in split:
            print(f"  SPLIT {name}: {hits}")
        for c, forms in leaks:
            print(f"  LEAK  {c} via {forms}")
        extra = sorted(c for c in pub.actors if c not in real)
        if extra:
            print(f"  NOT REAL ({len(extra)}): " + "; ".join(
                f"{c} [{pub.actors[c]['type']}]" for c in extra))
    return out


def score_bodies(gold: Gold, pub: Published, show: bool) -> dict:
    bp_total = bp_removed = edges_total = edges_kept = 0
    dates_total = dates_found = 0
    lines = []
    for stem, a in gold.articles.items():
        body = collapse(body_of(pub, stem))
        for line in a["boilerplate"]:
            if len(line.strip()) < 12:
                continue
            bp_total += 1
            probe = collapse(line)[:40]
            if probe in body:
                lines.append(f"  KEPT BOILERPLATE {stem[:3]} « {probe} »")
            else:
                bp_removed += 1
        for edge in ("first", "last"):
            edges_total += 1
            probe = collapse(a[edge])[:60]
            if probe in body:
                edges_kept += 1
            else:
                lines.append(f"  LOST {edge.upper()} LINE {stem[:3]} « {probe} »")
        if a["published"]:
            dates_total += 1
            got = pub.articles.get(stem, {}).get("published")
            if got is not None and str(got) == str(a["published"]):
                dates_found += 1
            else:
                lines.append(f"  DATE  {stem[:3]} gold {a['published']} / published {got}")
    missing = [s for s in gold.articles if s not in pub.articles]
    if show:
        print(f"-- bodies and dates ({gold.name})")
        print(*lines, sep="\n") if lines else None
        for s in missing:
            print(f"  NOT PUBLISHED {s}")
    return {"bp": ratio(bp_removed, bp_total), "bp_n": bp_total, "edges": edges_kept,
            "edges_n": edges_total, "dates": dates_found, "dates_n": dates_total,
            "missing": len(missing)}


# --- the table --------------------------------------------------------------


def table(results: dict[str, dict]) -> None:
    cols = list(results)
    rows = []
    for name, r in results.items():
        f, e, a, b = r["figures"], r["events"], r["actors"], r["bodies"]
        merged = f" (merged {f['merged']}/{f['multi']})" if f["multi"] else ""
        rows.append((
            name,
            f"P {f['P']:.3f}, R {f['R']:.3f}{merged}",
            f"P {e['P']:.3f}, R {e['R']:.3f}, type {e['type']:.2f}",
            f"{a['found']} of {a['gold']} found, {a['split']} split, {a['leaked']} leaked;"
            f" {100 * a['real']:.0f} % of {a['pred']} in dim_actors real",
            f"{b['bp']:.3f} of {b['bp_n']}, edges kept {b['edges']}/{b['edges_n']}",
            f"{b['dates']} of {b['dates_n']}",
        ))
    heads = ["what", *cols]
    labels = ["figures (per mention)", "events with a stated date", "actors",
              "boilerplate lines removed", "article date found"]
    print("| " + " | ".join(heads) + " |")
    print("|" + " --- |" * len(heads))
    for i, label in enumerate(labels):
        print("| " + " | ".join([label, *(row[i + 1] for row in rows)]) + " |")
    for name, r in results.items():
        f, e = r["figures"], r["events"]
        print(f"{name}: figure mentions pred {f['pred']} (+{f['neutral']} neutral), gold {f['gold']};"
              f" event mentions pred {e['pred']} (+{e['neutral']} neutral), gold {e['gold']};"
              f" articles not published {r['bodies']['missing']};"
              f" span invariant violations {r['spans']}"
              + (f"; distinct gold figures sharing a figure_id: {f['shared_ids']}"
                 if f["shared_ids"] else ""))


def evaluate(gold: Gold, keep: Path | None, show: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"eval-{gold.name}-"))
    workdir = tmp
    if keep:
        workdir = keep / gold.name
        if workdir.exists():
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True)
    try:
        print(f"[{gold.name}] running the pipeline on {len(gold.articles)} articles ...",
              flush=True)
        pub = read_marts(run_pipeline(gold, workdir))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "spans": pub.span_violations,
        "figures": score_figures(gold, pub, show),
        "events": score_events(gold, pub, show),
        "actors": score_actors(gold, pub, show),
        "bodies": score_bodies(gold, pub, show),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples-gold", type=Path, default=SAMPLES_GOLD)
    ap.add_argument("--samples-dir", type=Path, default=SAMPLES_RAW,
                    help="folder holding the sample articles (default raw/)")
    ap.add_argument("--no-samples", action="store_true", help="score the dev set only")
    ap.add_argument("--news-dev", type=Path, default=None,
                    help="folder of the real-news development set (gold.yaml + *.txt)")
    ap.add_argument("--show", action="store_true", help="list every miss and false hit")
    ap.add_argument("--keep", type=Path, default=None,
                    help="run in this folder and keep it (raw copies, warehouse, log)")
    args = ap.parse_args()
    results = {}
    refresh_manifest()
    if not args.no_samples:
        results["samples"] = evaluate(load_samples_gold(args.samples_gold, args.samples_dir),
                                      args.keep, args.show)
    if args.news_dev is not None:
        if (args.news_dev / "gold.yaml").is_file():
            results["news-dev"] = evaluate(load_news_gold(args.news_dev), args.keep, args.show)
        else:
            print(f"news-dev: no gold.yaml in {args.news_dev}; skipped")
    if results:
        table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
