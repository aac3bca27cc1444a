# ruff: noqa: E501  (long lines are SQL)
"""Benchmark the dbt build on a large synthetic corpus (10,000 and 100,000 articles).

Fills the landing tables (schema ``raw``) of a fresh DuckDB file per size with
extracted rows in realistic proportions (about 40 claims, 10 actor mentions,
3 figure mentions and 3 event mentions per article), facts repeated across
articles, a third of the articles rewrites of another one, some genuine figure
conflicts, and a few quarantined and removed files. Every span matches its
text in the body, so the whole ``dbt build`` (models and every test) runs as
on real data. Per size it times: the full build (``--full-refresh``); one new
article (a rewrite of an existing one) built incrementally, as the pipeline
builds a run with one new file; the same data built again from scratch, whose
marts must equal the incremental ones row for row; and the publish step on the
result. The dbt commands are the pipeline's (``lib/dbt_incremental.py``).

    .venv/bin/python scripts/bench_dbt.py                 # 10k and 100k
    .venv/bin/python scripts/bench_dbt.py --sizes 2000    # quick check
    .venv/bin/python scripts/bench_dbt.py --keep /tmp/bench   # keep the DBs

The rows are generated inside DuckDB (set-based SQL, no text pasted into SQL).
"""

from __future__ import annotations

import argparse
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import duckdb

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project.lib import dbt_incremental, publish, warehouse  # noqa: E402

DBT = ROOT / ".venv" / "bin" / "dbt"
DBT_DIR = ROOT / "dbt"

ACTORS = [
    ("Russia", "country", ["Russia", "Moscow", "the Kremlin"]),
    ("Iran", "country", ["Iran", "Tehran", "the Islamic Republic"]),
    ("United States", "country", ["the United States", "Washington", "the U.S."]),
    ("China", "country", ["China", "Beijing"]),
    ("Turkey", "country", ["Turkey", "Ankara"]),
    ("India", "country", ["India", "New Delhi"]),
    ("European Union", "organization", ["the European Union", "the EU", "Brussels"]),
    ("NATO", "alliance", ["NATO", "the Atlantic alliance"]),
    ("Vladimir Putin", "person", ["Vladimir Putin", "Putin", "President Putin"]),
    ("Ebrahim Raisi", "person", ["Ebrahim Raisi", "Raisi"]),
    ("Hezbollah", "armed_group", ["Hezbollah"]),
    ("United Nations", "organization", ["the United Nations", "the UN"]),
] + [(f"Country {k}", "country", [f"Country {k}", f"Capital {k}"]) for k in range(188)]
UNITS = ["USD", "percent", "UAV", "km", "container", "artillery shell", "barrel", "tonne"]
MEASURES = [
    f"{w} between the partners"
    for w in (
        "bilateral trade",
        "energy agreement value",
        "drone deliveries",
        "investment",
        "arms sales",
        "oil exports",
        "grain shipments",
        "railway length",
        "loan volume",
        "tourist arrivals",
    )
] + [f"indicator {k}" for k in range(90)]
QUALIFIERS = [
    ("exact", ""),
    ("more_than", "more than "),
    ("about", "about "),
    ("at_least", "at least "),
    ("up_to", "up to "),
]
EVENT_TYPES = [
    "meeting",
    "phone_call",
    "agreement_signed",
    "military_supply",
    "sanctions",
    "war_outbreak",
    "election",
    "visit",
    "policy_decision",
    "agreement_ratified",
]
REASONS = ["recent_posts", "cookie_notice", "related_links", "author_bio", "social"]


# Joins the claims in temp table `cl` to their live (not quarantined) article.
LIVE_CLAIMS = "join art as a on a.i = c.i and a.status <> 'quarantined'"


def fill(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """Fill raw.* with n articles' worth of extracted rows."""
    _make_parameters(con, n)
    _make_articles_and_facts(con)
    _make_sentences(con)
    _land_files_and_articles(con)
    _land_mentions(con)
    _land_clusters(con)


def _make_parameters(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """The landing schema, and temp tables of the actors and vocabularies to draw from."""
    warehouse.ensure_schema(con)
    con.execute("set preserve_insertion_order = false")
    con.execute(
        "create temp table actors as select name, type, aliases, row_number() over () - 1 as k"
        " from (select unnest(?::varchar[]) as name, unnest(?::varchar[]) as type,"
        " unnest(?::varchar[][]) as aliases)",
        [[a[0] for a in ACTORS], [a[1] for a in ACTORS], [a[2] for a in ACTORS]],
    )
    con.execute(
        "create temp table params as select ?::integer as n, ?::varchar[] as units,"
        " ?::varchar[] as measures, ?::varchar[] as qualifiers, ?::varchar[] as qwords,"
        " ?::varchar[] as event_types, ?::varchar[] as reasons, ?::integer as n_actors",
        [
            n,
            UNITS,
            MEASURES,
            [q[0] for q in QUALIFIERS],
            [q[1] for q in QUALIFIERS],
            EVENT_TYPES,
            REASONS,
            len(ACTORS),
        ],
    )


def _make_articles_and_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables of the articles and of the figures and events each one states."""
    # Articles: a third are rewrites of an earlier 'origin' article (same story,
    # same facts, same claim clusters); 1% of files quarantined, 1% removed.
    con.execute("""
        create temp table art as
        select
            i,
            substr(md5('synthetic/' || i), 1, 16) as article_id,
            'synthetic/' || lpad(i::varchar, 7, '0') || '.txt' as source_path,
            case when i % 3 = 2 then i - 1 - (i % 7 = 0)::int else i end as origin,
            date '2021-01-01' + (i % 1400)::integer as published_date,
            case when i % 100 = 17 then 'quarantined' when i % 100 = 53 then 'removed' else 'ok' end as status,
        from range((select n from params)) as r(i)
    """)
    # Facts are drawn from pools half the size of the corpus, so each figure or
    # event is stated by several articles on average.
    con.execute("""
        create temp table fig_slots as
        select a.i, a.article_id, a.origin, s.k as slot,
            (hash(a.origin * 7 + s.k) % greatest(1, (select n from params) // 2))::bigint as f,
        from art as a, range(3) as s(k)
    """)
    con.execute("""
        create temp table fig as
        select fs.*,
            p.units[1 + f % len(p.units)] as unit,
            p.measures[1 + (f // 7) % len(p.measures)] as measure,
            2000 + (f % 25)::integer as year,
            1 + (f % 5)::integer as q,
            -- every 50th fact is stated with another value by half of its articles: a conflict
            (((f % 997) + 2) * 10 ^ (f % 4) + case when f % 50 = 0 and i % 2 = 1 then 1 else 0 end)::bigint as value,
            (select name from actors where k = (f % 12)::integer) as actor_a,
            (select name from actors where k = 12 + (f % 188)::integer) as actor_b,
        from fig_slots as fs, params as p
    """)
    con.execute("""
        create temp table ev as
        select a.i, a.article_id, a.origin, s.k as slot, e,
            p.event_types[1 + e % len(p.event_types)] as event_type,
            (1990 + e % 34)::varchar || '-' || lpad((1 + e % 12)::varchar, 2, '0') as event_date,
            (select name from actors where k = (e % 12)::integer) as actor_a,
            (select name from actors where k = 12 + ((e // 3) % 188)::integer) as actor_b,
        from art as a, range(3) as s(k), params as p,
            lateral (select (hash(a.origin * 11 + s.k) % greatest(1, (select n from params) // 2))::bigint as e)
    """)


def _make_sentences(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table of every article's sentences, with the spans of what they state."""
    # Claims: 3 figure sentences, 3 event sentences, 10 actor sentences, 24 fillers.
    con.execute("""
        create temp table cl as
        with sentences as (
            select f.i, f.slot as claim_index,
                'Reports said ' || f.actor_a || ' and ' || f.actor_b || ' recorded ' as prefix,
                p.qwords[f.q] || f.value::varchar || ' ' || f.unit as surface,
                ' in ' || f.measure || ' in ' || f.year::varchar || '.' as suffix,
            from fig as f, params as p
            union all
            select e.i, 3 + e.slot,
                'In ' || e.event_date || ', ' || e.actor_a || ' and ' || e.actor_b || ' ',
                'held a ' || replace(e.event_type, '_', ' '),
                ' according to officials.',
            from ev as e
            union all
            select a.i, 6 + s.k,
                'According to analysts, ',
                list_element(x.aliases, 1 + ((a.i + s.k) % len(x.aliases))::integer),
                ' expanded cooperation on topic ' || ((a.origin + s.k) % 40)::varchar || '.',
            from art as a, range(10) as s(k),
                lateral (select aliases from actors where k = ((a.origin * 13 + s.k * 5) % 200)::integer) as x
            union all
            select a.i, 16 + s.k,
                'Paragraph ' || s.k::varchar || ' of story ' || a.origin::varchar,
                '',
                ' discusses regional developments, trade routes and diplomacy.',
            from art as a, range(24) as s(k)
        )
        select *, prefix || surface || suffix as text,
            sum(length(prefix || surface || suffix) + 1) over (partition by i order by claim_index)
                - length(prefix || surface || suffix) - 1 as char_start,
        from sentences
    """)


def _land_files_and_articles(con: duckdb.DuckDBPyConnection) -> None:
    """raw.files, raw.articles and raw.removed_blocks."""
    con.execute("""
        insert into raw.files (source_path, article_id, size_bytes, content_hash, detected_format,
                               encoding, status, quarantine_reason, first_seen_at, last_changed_at)
        select source_path, article_id, 4000, md5(source_path), 'text', 'utf-8', status,
            case status when 'quarantined' then 'binary content' when 'removed' then 'file deleted' end,
            now()::timestamp, now()::timestamp
        from art
    """)
    body = "string_agg(c.text, ' ' order by c.claim_index)"
    con.execute(f"""
        insert into raw.articles (article_id, source_path, content_hash, detected_format, title,
            author, published_date, site_name, body_text, body_key)
        select a.article_id, a.source_path, md5(a.source_path), 'text',
            'Story ' || a.origin::varchar, 'Author ' || (a.i % 500)::varchar, a.published_date,
            'Site ' || (a.i % 50)::varchar, {body}, md5({body})
        from art as a join cl as c on c.i = a.i
        where a.status <> 'quarantined'
        group by all
    """)
    con.execute("""
        insert into raw.removed_blocks
        select a.article_id, s.k, p.reasons[1 + (a.i + s.k) % len(p.reasons)],
            'Boilerplate block ' || s.k::varchar, s.k * 100, s.k * 100 + 50
        from art as a, range(2) as s(k), params as p
        where a.status <> 'quarantined'
    """)


def _land_mentions(con: duckdb.DuckDBPyConnection) -> None:
    """raw.claims and the actor, figure and event mentions."""
    live = LIVE_CLAIMS
    con.execute(f"""
        insert into raw.claims
        select a.article_id, c.claim_index, c.char_start, c.char_start + length(c.text), c.text,
            case when c.claim_index = 4 then 'attributed' else 'asserted' end,
            case when c.claim_index = 4 then 'officials' end
        from cl as c {live}
    """)
    con.execute(f"""
        insert into raw.actor_mentions
        select a.article_id, c.claim_index - 6, c.claim_index,
            c.char_start + length(c.prefix), c.char_start + length(c.prefix) + length(c.surface),
            c.surface, x.name, x.type
        from cl as c {live}
        join actors as x on list_contains(x.aliases, c.surface)
        where c.claim_index between 6 and 15
    """)
    con.execute(f"""
        insert into raw.figure_mentions
        select a.article_id, f.slot, f.slot,
            c.char_start + length(c.prefix), c.char_start + length(c.prefix) + length(c.surface),
            c.surface, f.value::double, null, f.unit, p.qualifiers[f.q], f.measure,
            'in ' || f.year::varchar, [f.actor_a, f.actor_b]
        from fig as f join cl as c on c.i = f.i and c.claim_index = f.slot {live.replace("c.i", "f.i")},
            params as p
    """)
    con.execute(f"""
        insert into raw.event_mentions
        select a.article_id, e.slot, 3 + e.slot,
            c.char_start + length(c.prefix), c.char_start + length(c.prefix) + length(c.surface),
            c.surface, e.event_type, e.event_date, 'month',
            strptime(e.event_date || '-01', '%Y-%m-%d')::date,
            (strptime(e.event_date || '-01', '%Y-%m-%d') + interval 1 month - interval 1 day)::date,
            [e.actor_a, e.actor_b], null, 'synthetic ' || e.event_type
        from ev as e join cl as c on c.i = e.i and c.claim_index = 3 + e.slot {live.replace("c.i", "e.i")}
    """)


def _land_clusters(con: duckdb.DuckDBPyConnection) -> None:
    """raw.article_clusters and raw.claim_clusters, as lib/dedup would write them."""
    # Clusters as lib/dedup would write them: rewrites share their origin's ids.
    con.execute("""
        insert into raw.article_clusters
        select a.article_id, md5(o.article_id)
        from art as a join art as o on o.i = a.origin
        where a.status <> 'quarantined'
    """)
    con.execute(f"""
        insert into raw.claim_clusters
        select a.article_id, c.claim_index,
            md5(o.article_id || '|' || c.claim_index::varchar)
        from cl as c {LIVE_CLAIMS} join art as o on o.i = a.origin
    """)

def counts(con: duckdb.DuckDBPyConnection) -> dict:
    tables = ["files", "articles", "claims", "actor_mentions", "figure_mentions", "event_mentions"]
    return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables}


def add_article(con: duckdb.DuckDBPyConnection, new_id: str) -> str:
    """Land one new article: a rewrite of a live article (its rows under a new id and
    file, in its rewrite and claim clusters), as the pipeline would after cleaning,
    extraction and clustering. Returns the article id it copied."""
    template = con.execute(
        "select a.article_id from raw.articles a join raw.files f using (article_id) "
        "where f.status = 'ok' order by a.article_id limit 1"
    ).fetchone()[0]
    path = f"synthetic/new/{new_id}.txt"
    con.execute(
        "insert into raw.files select * replace (?::varchar as source_path, ?::varchar as article_id,"
        " md5(?::varchar) as content_hash) from raw.files where article_id = ?",
        [path, new_id, path, template],
    )
    # Every landing table keyed by article (from the catalog, not a list kept by hand),
    # raw.files done above with the new file's path.
    tables = [t for (t,) in con.execute(
        "select table_name from duckdb_columns() where database_name = current_database()"
        " and schema_name = 'raw' and column_name = 'article_id' and table_name <> 'files'"
        " order by 1").fetchall()]
    for table in tables:
        # Table names come from the catalog, never from data.
        extra = ", ?::varchar as source_path, md5(?::varchar) as content_hash" if table == "articles" else ""
        params = [new_id, path, path, template] if table == "articles" else [new_id, template]
        con.execute(
            f"insert into raw.{table} select * replace (?::varchar as article_id{extra}) "
            f"from raw.{table} where article_id = ?",
            params,
        )
    return template


def dbt_build(path: pathlib.Path, full_refresh: bool) -> tuple[float, float]:
    """One `dbt build` as the pipeline runs it (the same arguments): its wall time and
    the CPU seconds of the dbt process (DuckDB's threads included), a figure the
    machine's load barely moves."""
    args = dbt_incremental.build_args(path, full_refresh)
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(
        # Its own target folder: dbt/target holds the manifest Dagster loads.
        [str(DBT), *args, "--profiles-dir", ".", "--quiet",
         "--target-path", str(path.parent / "dbt_target"), "--log-path", str(path.parent / "dbt_logs")],
        cwd=DBT_DIR,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-5000:], proc.stderr[-2000:])
        raise SystemExit(f"dbt build failed on {path}")
    return seconds, _children_cpu() - cpu0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mart_differences(a: pathlib.Path, b: pathlib.Path) -> dict[str, int]:
    """Rows of each mart in one database and not the other (0 everywhere: the same marts)."""
    con = duckdb.connect()
    con.execute(f"attach {_quote(str(a))} as a (read_only)")
    con.execute(f"attach {_quote(str(b))} as b (read_only)")
    tables = [t for (t,) in con.execute(
        "select table_name from duckdb_tables() where database_name = 'a' and schema_name = 'marts'"
        " order by 1").fetchall()]
    diff = {}
    for t in tables:
        diff[t] = con.execute(
            f'select count(*) from ((from a.marts."{t}" except all from b.marts."{t}")'
            f' union all (from b.marts."{t}" except all from a.marts."{t}"))'
        ).fetchone()[0]
    con.close()
    return diff


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def time_publish(path: pathlib.Path, workdir: pathlib.Path) -> float:
    """Wall time of the pipeline's publish step (copy, Parquet exports, contract check)."""
    out = workdir / f"published_{path.stem}"
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    publish.publish(path, out / "warehouse.duckdb", out / "parquet" / "marts")
    seconds = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    return seconds


def run(n: int, workdir: pathlib.Path) -> dict[str, float]:
    """Full build, one new article built incrementally, the same data built from
    scratch (and checked equal), and a publish; returns their times."""
    path = workdir / f"bench_{n}.duckdb"
    if path.exists():
        path.unlink()
    t0 = time.perf_counter()
    con = duckdb.connect(str(path))
    fill(con, n)
    print(
        f"[{n:>7} articles] generated in {time.perf_counter() - t0:.1f}s: {counts(con)}", flush=True
    )
    con.close()
    times, cpu = {}, {}
    times["full"], cpu["full"] = dbt_build(path, full_refresh=True)
    con = duckdb.connect(str(path), read_only=True)
    marts = {
        t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
        for t in ("fct_claims", "fct_figures", "fct_events", "fct_figure_conflicts", "dim_actors")
    }
    con.close()
    print(
        f"[{n:>7} articles] dbt build --full-refresh (all models and tests): {times['full']:.1f}s"
        f" ({cpu['full']:.1f} CPU s);"
        f" marts: {marts}",
        flush=True,
    )
    con = duckdb.connect(str(path))
    template = add_article(con, "bench_new_article")
    con.close()
    times["one_new"], cpu["one_new"] = dbt_build(path, full_refresh=False)
    print(
        f"[{n:>7} articles] +1 article (a rewrite of {template}), incremental dbt build:"
        f" {times['one_new']:.1f}s ({cpu['one_new']:.1f} CPU s)",
        flush=True,
    )
    scratch = workdir / f"bench_{n}_scratch.duckdb"
    shutil.copyfile(path, scratch)
    times["full_same"], cpu["full_same"] = dbt_build(scratch, full_refresh=True)
    diff = mart_differences(path, scratch)
    scratch.unlink()
    verdict = "identical" if not any(diff.values()) else f"DIFFERENT: {diff}"
    print(
        f"[{n:>7} articles] the same data built --full-refresh: {times['full_same']:.1f}s"
        f" ({cpu['full_same']:.1f} CPU s);"
        f" marts incremental vs full: {verdict}",
        flush=True,
    )
    if any(diff.values()):
        raise SystemExit("incremental marts differ from a full build")
    times["publish"] = time_publish(path, workdir)
    size_mb = path.stat().st_size / 1e6
    print(
        f"[{n:>7} articles] publish (copy of a {size_mb:,.0f} MB file, Parquet of every mart,"
        f" contract check): {times['publish']:.1f}s",
        flush=True,
    )
    return times | {f"{k}_cpu": v for k, v in cpu.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", help="folder to keep the benchmark databases in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_dbt_") as tmp:
        workdir = pathlib.Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        times = {n: run(n, workdir) for n in args.sizes}
    print("wall seconds (CPU seconds of dbt)")
    print(f"{'articles':>9} {'full':>15} {'+1 new, incremental':>20} {'same data, full':>16} {'publish':>8}")
    for n in sorted(times):
        t = times[n]
        cells = [f"{t[k]:.1f} ({t[k + '_cpu']:.1f})" for k in ("full", "one_new", "full_same")]
        print(f"{n:>9,} {cells[0]:>15} {cells[1]:>20} {cells[2]:>16} {t['publish']:>8.1f}")
    sizes = sorted(times)
    for small, large in zip(sizes, sizes[1:], strict=False):
        ratio = times[large]["full"] / times[small]["full"]
        print(
            f"growth {small} -> {large} articles (x{large / small:g}): "
            f"full build time x{ratio:.2f} (linear would be x{large / small:g})"
        )


if __name__ == "__main__":
    main()
