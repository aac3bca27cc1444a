"""The dedup stage's step: rewrite clusters of articles and claim clusters across articles.

Reads articles and claims from the landing schema, writes the two cluster tables back.

Parameterised SQL only: rows travel as list parameters unnested by DuckDB, never
as text pasted into a statement. The replacement happens in one transaction, so
dbt never sees half a clustering.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Iterator

import duckdb

from .. import warehouse
from .clusters import ClusterArrays, cluster_arrays
from .text import split_sentences

log = logging.getLogger(__name__)

CHUNK = 200_000
# DuckDB's memory while clustering (see _duckdb_memory).
DUCKDB_MEMORY = "512MB"


def dedup_code_version() -> str:
    return warehouse.code_version("dedup")


# Live articles' sentences, in article order: their claims, or (no claims yet) their body,
# split in Python. A removed, quarantined or failed file must not glue live articles
# together: its article is left out here and gets a singleton cluster.
_DEAD = """
dead as (
    select distinct article_id from raw.files
    where list_contains($dead, status) and article_id is not null
)
"""
_LIVE_IDS = f"""
with {_DEAD}
select article_id from raw.articles anti join dead using (article_id) order by article_id
"""
# One range of live article ids at a time (both bounds included): DuckDB sorts the
# texts of a few thousand articles, never of the whole corpus.
_LIVE_SENTENCES = f"""
with {_DEAD},
live as (
    select article_id, body_text from raw.articles anti join dead using (article_id)
    where article_id between $lo and $hi
),
claims as (
    select article_id, claim_index, text from raw.claims where article_id between $lo and $hi
)
select c.article_id, c.claim_index, c.text from claims c semi join live using (article_id)
union all
select l.article_id, null, l.body_text from live l anti join claims c using (article_id)
order by 1, 2 nulls first
"""
ARTICLES_PER_READ = 10_000


def _live_articles(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, list]]:
    """(article_id, [(claim_index or None, text)]) of every live article, in id order,
    read a range of articles at a time: the texts of the whole corpus are never held
    at once, by this process or by DuckDB."""
    dead = list(warehouse.DEAD_STATUSES)
    ids = [r[0] for r in con.execute(_LIVE_IDS, {"dead": dead}).fetchall()]
    for i in range(0, len(ids), ARTICLES_PER_READ):
        bounds = {"lo": ids[i], "hi": ids[min(i + ARTICLES_PER_READ, len(ids)) - 1]}
        rows = con.execute(_LIVE_SENTENCES, {**bounds, "dead": dead})
        current, sentences = None, []
        for article_id, claim_index, text in rows.fetchall():
            if article_id != current:
                if current is not None:
                    yield current, sentences
                current, sentences = article_id, []
            if claim_index is None:  # no claims (yet): compare on the body's sentences
                sentences.extend((None, s) for s in split_sentences(text or ""))
            else:
                sentences.append((claim_index, text))
        if current is not None:
            yield current, sentences


# What the clustering reads, and nothing else: a file's mtime, an article's title or a
# claim's actors changing does not re-cluster the corpus. (Table and column lists are
# fixed here, never taken from input.)
_FINGERPRINTED = (
    ("files", "article_id, list_contains(?, status)"),  # which articles are live
    ("articles", "article_id, body_text"),  # the body stands in for missing claims
    ("claims", "article_id, claim_index, text"),
)


def inputs_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Digest of everything the clustering reads (the live articles, their bodies and
    their claims' texts, hashed and combined by DuckDB) and of the clustering code."""
    parts = [dedup_code_version()]
    for table, columns in _FINGERPRINTED:
        params = [list(warehouse.DEAD_STATUSES)] if "?" in columns else []
        row = con.execute(
            f"select count(*), coalesce(bit_xor(hash({columns})), 0) from raw.{table}", params
        ).fetchone()
        parts.append(f"{table}:{row[0]}:{row[1]}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def assign_clusters(con: duckdb.DuckDBPyConnection, force: bool = False) -> dict:
    """(Re)compute raw.article_clusters and raw.claim_clusters; returns stats for logging.

    Skipped (``{"skipped": True, ...}``) when neither the live articles, their bodies,
    their claims' texts nor the clustering code changed since the last computation, unless
    ``force``: a run with nothing new (the daily schedule, a re-run) costs one scan
    of the three tables instead of a full clustering.
    """
    t0 = time.perf_counter()
    warehouse.ensure_schema(con)
    fingerprint = inputs_fingerprint(con)
    stored = con.execute("select inputs_fingerprint from raw.cluster_state").fetchone()
    if not force and stored is not None and stored[0] == fingerprint:
        n = con.execute("select count(*) from raw.article_clusters").fetchone()[0]
        stats = {"skipped": True, "reason": "inputs unchanged", "articles": n,
                 "seconds": round(time.perf_counter() - t0, 2)}
        log.info("assign_clusters: %s", stats)
        return stats
    with _duckdb_memory(con, DUCKDB_MEMORY):
        result = cluster_arrays(_live_articles(con))
        stats = result.stats
        changed = _write(con, result, fingerprint)
    stats = {**stats, "skipped": False, "articles_changed": changed,
             "seconds": round(time.perf_counter() - t0, 2)}
    log.info("assign_clusters: %s", stats)
    return stats


@contextlib.contextmanager
def _duckdb_memory(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit lowered while clustering, then restored.

    Sorting every claim's text in article order and diffing millions of cluster rows
    would otherwise keep up to DuckDB's default (80% of RAM) in its buffer pool
    beside the clustering's own arrays; with a limit DuckDB spills to its temporary
    directory instead, so the step's peak memory stays bounded.
    """
    previous = con.execute("select current_setting('memory_limit')").fetchone()[0]
    con.execute(f"set memory_limit = '{limit}'")  # (a constant of this module)
    try:
        yield
    finally:
        con.execute(f"set memory_limit = '{previous}'")  # (DuckDB's own value)


def _write(con: duckdb.DuckDBPyConnection, result: ClusterArrays, fingerprint: str) -> int:
    """Replace the rows of the articles whose clusters changed; returns how many.

    Ids are made in SQL (md5, the same as :func:`warehouse.stable_id`) from article
    positions: millions of claim ids never exist as Python strings. Only the
    articles whose rewrite cluster or any claim cluster changed (or that appeared or
    went away) are rewritten, and listed in ``raw.cluster_changes`` with the time.
    """
    con.execute("create or replace temp table _dd_arts (pos integer, article_id varchar)")
    con.execute(
        "create or replace temp table _dd_claims "
        "(art integer, claim_index integer, head_art integer, head_idx integer)"
    )
    art_ids = result.art_ids
    for i in range(0, len(art_ids), CHUNK):
        part = art_ids[i : i + CHUNK]
        con.execute(
            "insert into _dd_arts select unnest(?::integer[]), unnest(?::varchar[])",
            [list(range(i, i + len(part))), part],
        )
    cols = (result.claim_art, result.claim_idx, result.head_art, result.head_idx)
    for i in range(0, len(result.claim_art), CHUNK):
        con.execute(
            "insert into _dd_claims select unnest(?::integer[]), unnest(?::integer[]), "
            "unnest(?::integer[]), unnest(?::integer[])",
            [c[i : i + CHUNK].tolist() for c in cols],
        )
    roots = result.art_root.tolist()
    con.execute("create or replace temp table _dd_roots (pos integer, root integer)")
    for i in range(0, len(roots), CHUNK):
        con.execute(
            "insert into _dd_roots select unnest(?::integer[]), unnest(?::integer[])",
            [list(range(i, i + len(roots[i : i + CHUNK]))), roots[i : i + CHUNK]],
        )
    del result
    # Excluded (dead) articles: their own cluster, and each of their claims its own.
    con.execute(
        """
        create or replace temp table _dd_ac as
        select a.article_id, md5(r.article_id) as rewrite_cluster_id
        from _dd_roots p join _dd_arts a on a.pos = p.pos join _dd_arts r on r.pos = p.root
        union all
        select article_id, md5(article_id) from raw.articles
        where article_id not in (select article_id from _dd_arts)
        """
    )
    con.execute(
        """
        create or replace temp table _dd_cc as
        select a.article_id, c.claim_index,
               md5(h.article_id || '|' || cast(c.head_idx as varchar)) as claim_cluster_id
        from _dd_claims c join _dd_arts a on a.pos = c.art join _dd_arts h on h.pos = c.head_art
        union all
        select article_id, claim_index, md5(article_id || '|' || cast(claim_index as varchar))
        from raw.claims
        where article_id in (select article_id from raw.articles)
          and article_id not in (select article_id from _dd_arts)
        """
    )
    con.execute("drop table _dd_arts; drop table _dd_claims; drop table _dd_roots")
    con.execute("begin transaction")
    try:
        con.execute(
            """
            create or replace temp table _dd_changed as
            select article_id from (
                select article_id from (
                    (select article_id, rewrite_cluster_id from raw.article_clusters
                     except select article_id, rewrite_cluster_id from _dd_ac)
                    union all
                    (select article_id, rewrite_cluster_id from _dd_ac
                     except select article_id, rewrite_cluster_id from raw.article_clusters)
                )
                union all
                select article_id from (
                    (select article_id, claim_index, claim_cluster_id from raw.claim_clusters
                     except select article_id, claim_index, claim_cluster_id from _dd_cc)
                    union all
                    (select article_id, claim_index, claim_cluster_id from _dd_cc
                     except select article_id, claim_index, claim_cluster_id
                     from raw.claim_clusters)
                )
            ) group by article_id
            """
        )
        changed = con.execute("select count(*) from _dd_changed").fetchone()[0]
        con.execute(
            "delete from raw.article_clusters where article_id in (select * from _dd_changed)"
        )
        con.execute(
            "delete from raw.claim_clusters where article_id in (select * from _dd_changed)"
        )
        con.execute(
            "insert into raw.article_clusters select article_id, rewrite_cluster_id from _dd_ac "
            "where article_id in (select * from _dd_changed) order by article_id"
        )
        con.execute(
            "insert into raw.claim_clusters select article_id, claim_index, claim_cluster_id "
            "from _dd_cc where article_id in (select * from _dd_changed) "
            "order by article_id, claim_index"
        )
        con.execute(
            "delete from raw.cluster_changes where article_id in (select * from _dd_changed)"
        )
        con.execute(
            "insert into raw.cluster_changes select article_id, current_timestamp "
            "from _dd_changed"
        )
        con.execute("delete from raw.cluster_state")
        con.execute("insert into raw.cluster_state values (?, current_timestamp)", [fingerprint])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.execute("drop table if exists _dd_ac; drop table if exists _dd_cc; "
                    "drop table if exists _dd_changed")
    return changed
