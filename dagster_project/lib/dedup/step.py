"""The dedup stage's step: rewrite clusters of articles and claim clusters across articles.

Reads articles and claims from the landing schema, writes the two cluster tables back.

Parameterised SQL only: rows travel as list parameters unnested by DuckDB, never
as text pasted into a statement. The replacement happens in one transaction, so
dbt never sees half a clustering.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time

import duckdb

from .. import warehouse
from ..warehouse import stable_id
from .clusters import cluster_corpus
from .text import split_sentences

log = logging.getLogger(__name__)

CHUNK = 200_000


def dedup_code_version() -> str:
    return warehouse.code_version("dedup")


def _load(con: duckdb.DuckDBPyConnection) -> tuple[dict, list[str]]:
    """Sentences of live articles; ids of articles that only get a singleton cluster."""
    # A removed, quarantined or failed file must not glue live articles together.
    excluded = {
        r[0]
        for r in con.execute(
            "select article_id from raw.files where list_contains(?, status)",
            [list(warehouse.DEAD_STATUSES)],
        ).fetchall()
    }
    article_ids = [r[0] for r in con.execute("select article_id from raw.articles").fetchall()]
    sentences: dict[str, list] = {a: [] for a in article_ids if a not in excluded}
    cur = con.execute(
        "select article_id, claim_index, text from raw.claims order by article_id, claim_index"
    )
    while rows := cur.fetchmany(CHUNK):  # bounded: never all row tuples at once
        for article_id, claim_index, text in rows:
            target = sentences.get(article_id)
            if target is not None:
                target.append((claim_index, text))
        del rows
    missing = [a for a, s in sentences.items() if not s]
    if missing:
        # No claims (yet): compare on the body's sentences, but emit no claim rows.
        for article_id, body in con.execute(
            "select article_id, body_text from raw.articles where article_id in "
            "(select unnest(?::varchar[]))",
            [missing],
        ).fetchall():
            sentences[article_id] = [(None, s) for s in split_sentences(body or "")]
    return sentences, [a for a in article_ids if a in excluded]


def inputs_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Digest of everything the clustering reads (every row of raw.files, raw.articles
    and raw.claims, hashed and combined by DuckDB) and of the clustering code."""
    parts = [dedup_code_version()]
    for table in ("files", "articles", "claims"):
        # (table name from the fixed tuple above, never from input)
        row = con.execute(
            f"select count(*), coalesce(bit_xor(hash(t)), 0) from raw.{table} t"
        ).fetchone()
        parts.append(f"{table}:{row[0]}:{row[1]}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def assign_clusters(con: duckdb.DuckDBPyConnection, force: bool = False) -> dict:
    """(Re)compute raw.article_clusters and raw.claim_clusters; returns stats for logging.

    Skipped (``{"skipped": True, ...}``) when neither the articles, their claims, the
    file statuses nor the clustering code changed since the last computation, unless
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
    was_enabled = gc.isenabled()
    gc.disable()  # millions of row tuples, no cycles: see cluster_corpus
    try:
        sentences, singletons = _load(con)
    finally:
        if was_enabled:
            gc.enable()
    result = cluster_corpus(sentences)
    del sentences  # the texts are no longer needed while writing
    stats = result.stats
    article_rows = dict(result.article_clusters)
    for article_id in singletons:
        article_rows[article_id] = stable_id(article_id)
    claim_rows = result.claim_clusters  # millions of entries: extended in place, not copied
    del result
    if singletons:
        # Claims of excluded articles keep their own cluster (they feed no fact).
        for article_id, claim_index in con.execute(
            "select article_id, claim_index from raw.claims where article_id in "
            "(select unnest(?::varchar[]))",
            [singletons],
        ).fetchall():
            claim_rows[(article_id, claim_index)] = stable_id(article_id, claim_index)

    con.execute("begin transaction")
    try:
        con.execute("delete from raw.article_clusters")
        con.execute("delete from raw.claim_clusters")
        items = sorted(article_rows.items())
        for i in range(0, len(items), CHUNK):
            part = items[i : i + CHUNK]
            con.execute(
                "insert into raw.article_clusters "
                "select unnest(?::varchar[]), unnest(?::varchar[])",
                [[k for k, _ in part], [v for _, v in part]],
            )
        keys = sorted(claim_rows)
        for i in range(0, len(keys), CHUNK):
            part = keys[i : i + CHUNK]
            con.execute(
                "insert into raw.claim_clusters "
                "select unnest(?::varchar[]), unnest(?::integer[]), unnest(?::varchar[])",
                [[k[0] for k in part], [k[1] for k in part], [claim_rows[k] for k in part]],
            )
        del keys
        con.execute("delete from raw.cluster_state")
        con.execute("insert into raw.cluster_state values (?, current_timestamp)", [fingerprint])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    stats = {**stats, "skipped": False, "seconds": round(time.perf_counter() - t0, 2)}
    log.info("assign_clusters: %s", stats)
    return stats
