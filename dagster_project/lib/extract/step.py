"""The extract stage's incremental step: claims and mentions of what changed.

:func:`extract_pending` extracts from every live article whose body (or date,
or truncation point) or extraction code changed, or that ops asked to
reprocess, and replaces that article's rows in one transaction. An error of our
code marks the file ``failed`` (retried when the code changes); the other
articles go through.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import duckdb

from .. import parallel, warehouse
from ..records import Extraction

log = logging.getLogger(__name__)

# Bodies read together (one query) before they go to the engine.
READ_BLOCK = warehouse.WRITE_BATCH


def extract_pending(
    con: duckdb.DuckDBPyConnection,
    *,
    paths: Sequence[str] = (),
    force_all: bool = False,
    progress: warehouse.Progress | None = None,
    engine: parallel.Engine | None = None,
) -> warehouse.StepStats:
    """Extract from every live article whose body or extraction code changed.

    The NLP work runs on ``engine`` (:mod:`..parallel`); this process writes.
    """
    from ..clean.step import code_versions

    warehouse.ensure_schema(con)
    version = warehouse.extract_code_version()
    ids = warehouse.articles_to_extract(con, forced=paths, force_all=force_all)
    stats = warehouse.StepStats()
    key_of = {}

    def payloads():
        # Bodies are read in the calling thread a block at a time, as the engine asks.
        for start in range(0, len(ids), READ_BLOCK):
            block = ids[start:start + READ_BLOCK]
            found = _bodies(con, block)
            for article_id, source_path, content_hash, _ in block:
                body, published, truncated_from, key = found[article_id]
                key_of[article_id] = key
                yield (article_id, source_path, content_hash), (body, published, truncated_from)

    engine = engine or parallel.Engine()
    batch = _Extracted(con, stats, code_key=code_versions())
    work = parallel.Batched(extract_bodies)
    for i, (key, outcome) in enumerate(engine.map(work, payloads(), len(ids))):
        article_id, source_path, content_hash = key
        done_key = f"{version}:{key_of.pop(article_id)}"
        if isinstance(outcome, parallel.TaskFailure):
            batch.reject(key, f"extraction failed: {outcome.reason}")
        else:
            batch.add((key, outcome, done_key))
        if progress:
            progress(i + 1, len(ids))
    batch.flush()
    return stats


def _bodies(con: duckdb.DuckDBPyConnection, block: list[tuple[str, str, str, int]]) -> dict:
    """``article_id -> (body_text, published_date, truncated_from, body_key)`` of a
    block of :func:`warehouse.articles_to_extract`'s rows, in one query over their
    range of the table: DuckDB decompresses the stored bodies only around that
    range, where a lookup by id alone decompressed the whole column (about 110 ms a
    block at 10,000 articles, against 15 ms; one query per article was slower
    still). An article outside the range (the table changed since the list was
    made) is read by id."""
    ids = [article_id for article_id, _, _, _ in block]
    query = ("select article_id, body_text, published_date, truncated_from, body_key "
             "from raw.articles where list_contains(?, article_id)")
    found = {row[0]: row[1:] for row in con.execute(
        query + " and rowid between ? and ?", [ids, block[0][3], block[-1][3]]).fetchall()}
    missing = [article_id for article_id in ids if article_id not in found]
    if missing:
        found.update({row[0]: row[1:] for row in con.execute(query, [missing]).fetchall()})
    return found


class _Extracted(warehouse.WriteBatch[tuple[tuple, Extraction, str]]):
    """Extractions landing ``warehouse.WRITE_BATCH`` articles per transaction: each
    item is ``(key, extraction, done_key)`` with ``key = (article_id, source_path,
    content_hash)``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, stats: warehouse.StepStats,
                 code_key: str) -> None:
        super().__init__(con, stats)
        self.code_key = code_key

    def fail(self, item: tuple[tuple, Extraction, str], exc: Exception) -> None:
        self.reject(item[0], f"extraction failed: {type(exc).__name__}: {exc}")

    def write(self, items: list[tuple[tuple, Extraction, str]]) -> None:
        write_extractions(self.con, [(key[0], extraction) for key, extraction, _ in items])
        self.con.execute(
            "update raw.articles set extracted_key = k.done from "
            "(select unnest(?) as id, unnest(?) as done) k where article_id = k.id",
            [[key[0] for key, _, _ in items], [done for _, _, done in items]],
        )

    def reject(self, key: tuple, reason: str) -> None:
        article_id, source_path, content_hash = key
        warehouse.reject(self.con, self.stats, source_path=source_path, article_id=article_id,
                         reason=reason, failed_key=f"{content_hash}:{self.code_key}")


def extract_bodies(payloads: list[tuple]) -> list[Extraction]:
    """Claims and mentions of a chunk of bodies, with one pass of the model over the
    chunk (what a worker runs per task, :class:`..parallel.Batched`)."""
    from . import extract_articles

    return extract_articles(payloads)


def write_extractions(
    con: duckdb.DuckDBPyConnection, batch: Sequence[tuple[str, Extraction]]
) -> None:
    """Replace the claims and mentions of each ``(article_id, extraction)`` of
    ``batch``: one delete and one insert per table for the whole batch (caller holds
    the transaction)."""
    warehouse.delete_articles_rows(con, [a for a, _ in batch], warehouse.EXTRACTION_TABLES)
    warehouse.insert_many(
        con,
        "raw.claims",
        7,
        (
            [article_id, i, c.char_start, c.char_end, c.text, c.assertion, c.attributed_to]
            for article_id, extraction in batch
            for i, c in enumerate(extraction.claims)
        ),
    )
    warehouse.insert_many(
        con,
        "raw.actor_mentions",
        8,
        (
            [article_id, i, m.claim_index, m.char_start, m.char_end, m.surface_text,
             m.canonical_name, m.actor_type]
            for article_id, extraction in batch
            for i, m in enumerate(extraction.actor_mentions)
        ),
    )
    warehouse.insert_many(
        con,
        "raw.figure_mentions",
        13,
        (
            [article_id, i, f.claim_index, f.char_start, f.char_end, f.surface_text, f.value,
             f.value_high, f.unit, f.qualifier, f.measure, f.period_text, list(f.actor_names)]
            for article_id, extraction in batch
            for i, f in enumerate(extraction.figure_mentions)
        ),
    )
    warehouse.insert_many(
        con,
        "raw.event_mentions",
        14,
        (
            [article_id, i, e.claim_index, e.char_start, e.char_end, e.surface_text,
             e.event_type, e.event_date, e.date_precision, e.date_start, e.date_end,
             list(e.actor_names), e.location, e.description]
            for article_id, extraction in batch
            for i, e in enumerate(extraction.event_mentions)
        ),
    )
