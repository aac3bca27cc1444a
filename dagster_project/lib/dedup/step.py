"""The dedup stage's step: rewrite clusters of articles and claim clusters across articles.

Reads articles and claims from the landing schema, writes the two cluster tables back,
with the index (:mod:`.index`, a DuckDB file of its own beside the working database)
the next run updates them from (:mod:`.incremental`).

Parameterised SQL only: rows travel as list parameters unnested by DuckDB, never
as text pasted into a statement. The cluster tables are replaced in one transaction, so
dbt never sees half a clustering.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Iterator

import duckdb
import numpy as np
import pyarrow as pa

from .. import warehouse
from . import incremental, index
from .clusters import ClusterArrays, cluster_arrays
from .text import split_sentences

log = logging.getLogger(__name__)

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
# {only}: all articles, or those listed in a temp table of the incremental update.
# Bodies are read in one place only: a CTE read twice is materialised by DuckDB, and the
# whole corpus's bodies would then sit in its memory.
_LIVE_SENTENCES = """
with {dead},
live as (select article_id from raw.articles anti join dead using (article_id) {only})
select article_id, claim_index, text from (
    select article_id, claim_index, text from raw.claims
    where article_id in (select article_id from live)
    union all
    select article_id, null, body_text from raw.articles
    where article_id in (select article_id from live)
      and article_id not in (select article_id from raw.claims)
)
order by 1, 2 nulls first
"""
FETCH_ROWS = 50_000


def _live_articles(
    con: duckdb.DuckDBPyConnection, only: str | None = None
) -> Iterator[tuple[str, list]]:
    """(article_id, [(claim_index or None, text)]) of every live article (or of those in
    temp table ``only``), in id order.

    One ordered scan of the claims, fetched a block of rows at a time: DuckDB sorts with
    its memory limit (spilling beyond it) and this process holds one block's texts,
    never the corpus's. (Reading a range of ids per query re-scanned raw.claims once per
    range: quadratic in the corpus.)
    """
    where = f"where article_id in (select article_id from {only})" if only else ""
    rows = con.execute(
        _LIVE_SENTENCES.format(dead=_DEAD, only=where), {"dead": list(warehouse.DEAD_STATUSES)}
    )
    current, sentences = None, []
    while block := rows.fetchmany(FETCH_ROWS):
        for article_id, claim_index, text in block:
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


def inputs_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Digest of everything the clustering reads and of the clustering code.

    Per article (temp table ``_ci_now``, which the update and the index reuse): whether
    it is live, its claims' texts, or its body when it has no claims, hashed and combined
    by DuckDB. A file's mtime, an article's title or a claim's actors changing does not
    re-cluster the corpus.
    """
    con.execute(f"create or replace temp table _ci_now as {index.ARTICLE_INPUTS}",
                {"dead": list(warehouse.DEAD_STATUSES)})
    n, combined = con.execute(
        "select count(*), coalesce(bit_xor(hash(article_id, live, input_hash)), 0) from _ci_now"
    ).fetchall()[0]
    return hashlib.sha256(f"{dedup_code_version()}|{n}|{combined}".encode()).hexdigest()


def assign_clusters(con: duckdb.DuckDBPyConnection, force: bool = False) -> dict:
    """(Re)compute raw.article_clusters and raw.claim_clusters; returns stats for logging.

    Skipped (``{"skipped": True, ...}``) when neither the live articles, their bodies,
    their claims' texts nor the clustering code changed since the last computation, unless
    ``force``: a run with nothing new (the daily schedule, a re-run) costs one scan
    of the three tables instead of a full clustering. Otherwise an incremental update
    from the changed articles (:mod:`.incremental`, ``"incremental": True`` in the
    stats) when the index file holds the index of the last clustering made by this code,
    else (or when the update declines, ``fallback`` says why, or ``force``) a full one.
    """
    try:
        return _assign(con, force)
    finally:
        con.execute("drop table if exists _ci_now")


def _assign(con: duckdb.DuckDBPyConnection, force: bool) -> dict:
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
    version = dedup_code_version()
    stats: dict | None = None
    fallback = None
    with index.attached(con), _duckdb_memory(con, DUCKDB_MEMORY):
        if stored is not None and not index.usable(con, version, stored[0]):
            fallback = "no index of the last clustering made by this code"
        elif not force and stored is not None:
            generation = index.new_generation()
            # DuckDB commits one database per transaction: the index first, then the
            # warehouse linked to its new generation. A run killed in between leaves
            # them unlinked, and the next clustering is a full one (index.usable).
            con.execute("begin transaction")
            try:
                stats = incremental.update(con, _live_articles)
                con.execute("update dd_index.cluster_index_meta set fingerprint = ?, "
                            "generation = ?", [fingerprint, generation])
                con.execute("commit")
            except incremental.Fallback as why:
                con.execute("rollback")
                stats, fallback = None, str(why)
            except Exception:
                con.execute("rollback")
                _drop_temp(con)
                raise
            if stats is not None:
                try:
                    stats["articles_changed"] = _write_clusters(
                        con, fingerprint, generation, scoped=True)
                finally:
                    _drop_temp(con)
            else:
                _drop_temp(con)
        if stats is None:
            stats = _full(con, fingerprint, version)
            if fallback:
                stats["fallback"] = fallback
    stats = {**stats, "skipped": False, "seconds": round(time.perf_counter() - t0, 2)}
    log.info("assign_clusters: %s", stats)
    return stats


def _write_clusters(con: duckdb.DuckDBPyConnection, fingerprint: str, generation: str,
                    scoped: bool) -> int:
    """The warehouse's side in one transaction: the changed cluster rows (:func:`_apply`)
    and the index generation they match; returns the articles rewritten."""
    con.execute("begin transaction")
    try:
        changed = _apply(con, fingerprint, scoped=scoped)
        index.link(con, generation)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return changed


def _full(con: duckdb.DuckDBPyConnection, fingerprint: str, version: str) -> dict:
    """Cluster the whole corpus, writing the index beside it; returns the stats."""
    writer = index.IndexWriter(con)  # (drops the old index: it no longer applies)
    n_live = con.execute("select count(*) from _ci_now where live").fetchone()[0]
    index.release_memory(con)  # (the fingerprint's reads)
    result = cluster_arrays(_released_after(con, _live_articles(con)), sink=writer,
                            workers=None, n_articles=n_live)
    stats = {**result.stats, "incremental": False}
    _full_tables(con, result)
    del result
    generation = index.new_generation()
    try:
        con.execute("begin transaction")
        try:
            writer.finish(fingerprint, version, generation)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        stats["articles_changed"] = _write_clusters(con, fingerprint, generation, scoped=False)
    finally:
        _drop_temp(con)
    return stats


def _released_after(con: duckdb.DuckDBPyConnection, stream: Iterator) -> Iterator:
    """``stream``, then DuckDB's cached blocks given back (index.release_memory): the
    fingerprint and the sorted read of every claim leave its buffer pool full while
    the clustering's arrays grow."""
    yield from stream
    index.release_memory(con)


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


def _full_tables(con: duckdb.DuckDBPyConnection, result: ClusterArrays) -> None:
    """Temp tables ``_dd_ac`` / ``_dd_cc``: every article's and claim's cluster id.

    Ids are made in SQL (md5, the same as :func:`warehouse.stable_id`) from article
    positions: millions of claim ids never exist as Python strings.
    """
    # Arrow tables registered with DuckDB: millions of rows bound as list parameters
    # cost tens of seconds at 100,000 articles (one Python int and one value each).
    art_ids, roots = result.art_ids, result.art_root
    index.insert_table(con, "_dd_arts", {
        "pos": np.arange(len(art_ids), dtype=np.int32),
        "article_id": pa.array(art_ids, type=pa.string()),
        "root": roots.astype(np.int32),
    })
    index.insert_table(con, "_dd_claims", {
        "art": result.claim_art.astype(np.int32), "claim_index": result.claim_idx.astype(np.int32),
        "head_art": result.head_art.astype(np.int32),
        "head_idx": result.head_idx.astype(np.int32),
    })
    # Excluded (dead) articles: their own cluster, and each of their claims its own.
    con.execute(
        """
        create or replace temp table _dd_ac as
        select a.article_id, md5(r.article_id) as rewrite_cluster_id
        from _dd_arts a join _dd_arts r on r.pos = a.root
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
    con.execute("drop table _dd_arts; drop table _dd_claims")


def _apply(con: duckdb.DuckDBPyConnection, fingerprint: str, scoped: bool) -> int:
    """Replace the rows of the articles whose clusters changed; returns how many.

    ``_dd_ac`` holds every article's rewrite cluster; ``_dd_cc`` the claims' clusters of
    every article, or (``scoped``) of the articles in ``_dd_scope``, the only ones whose
    claim rows may have moved. Only articles whose rewrite cluster or any claim cluster
    changed (or that appeared or went away) are rewritten, and listed in
    ``raw.cluster_changes`` with the time. The caller holds the transaction.
    """
    scope = "where article_id in (select article_id from _dd_scope)" if scoped else ""
    # Claim rows compared per article (count and a sum of row hashes, 64-bit each)
    # instead of as sets of rows: an EXCEPT over millions of claim rows hashes and
    # spills them all; this aggregates to one row per article.
    con.execute(
        f"""
        create or replace temp table _dd_changed as
        with new_c as (
            select article_id, count(*) as n, sum(hash(claim_index, claim_cluster_id)) as h
            from _dd_cc group by article_id
        ),
        old_c as (
            select article_id, count(*) as n, sum(hash(claim_index, claim_cluster_id)) as h
            from raw.claim_clusters {scope} group by article_id
        )
        select article_id from (
            select article_id from (
                (select article_id, rewrite_cluster_id from raw.article_clusters
                 except select article_id, rewrite_cluster_id from _dd_ac)
                union all
                (select article_id, rewrite_cluster_id from _dd_ac
                 except select article_id, rewrite_cluster_id from raw.article_clusters)
            )
            union all
            select coalesce(n.article_id, o.article_id) from new_c n
            full join old_c o on n.article_id = o.article_id
            where n.article_id is null or o.article_id is null or n.n != o.n or n.h != o.h
        ) group by article_id
        """
    )
    changed = con.execute("select count(*) from _dd_changed").fetchone()[0]
    con.execute("delete from raw.article_clusters where article_id in (select * from _dd_changed)")
    con.execute("delete from raw.claim_clusters where article_id in (select * from _dd_changed)")
    con.execute(
        "insert into raw.article_clusters select article_id, rewrite_cluster_id from _dd_ac "
        "where article_id in (select * from _dd_changed) order by article_id"
    )
    con.execute(
        "insert into raw.claim_clusters select article_id, claim_index, claim_cluster_id "
        "from _dd_cc where article_id in (select * from _dd_changed) "
        "order by article_id, claim_index"
    )
    con.execute("delete from raw.cluster_changes where article_id in (select * from _dd_changed)")
    con.execute(
        "insert into raw.cluster_changes select article_id, current_timestamp from _dd_changed"
    )
    con.execute("delete from raw.cluster_state")
    con.execute("insert into raw.cluster_state values (?, current_timestamp)", [fingerprint])
    return changed


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the clustering's temporary tables (``_dd_*``, ``_ci_*``: names of this
    package) but ``_ci_now``, which a full run after a declined update still reads."""
    names = con.execute(
        "select table_name from duckdb_tables() where temporary "
        "and (starts_with(table_name, '_dd_') or starts_with(table_name, '_ci_')) "
        "and table_name != '_ci_now'"
    ).fetchall()
    for (name,) in names:
        con.execute(f'drop table if exists "{name}"')
