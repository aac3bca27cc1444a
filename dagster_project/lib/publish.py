"""Publish the working database for analysts: an atomic file swap plus Parquet exports.

DuckDB allows one writing process per file, and a read-only reader blocks a
writer. So the pipeline never writes the file analysts open: it builds in its
private working database, then copies it beside the published file and
renames it into place. ``rename`` is atomic on POSIX; a reader that has the old
file open keeps reading the old snapshot and the next connection sees the new
one. A run therefore never fails because an analyst has the warehouse open.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

# The analysts' contract (issue 2): table -> columns that must exist in `marts`.
CONTRACT: dict[str, tuple[str, ...]] = {
    "dim_articles": (
        "article_id", "source_path", "title", "author", "published_date", "site_name",
        "body_text", "word_count", "status", "quarantine_reason",
    ),
    "removed_blocks": ("article_id", "reason", "text"),
    "dim_actors": (
        "actor_id", "canonical_name", "actor_type", "aliases", "n_articles", "n_mentions",
    ),
    "fct_claims": ("claim_id", "article_id", "char_start", "char_end", "text"),
    "fct_figures": (
        "figure_id", "value", "value_high", "unit", "qualifier", "measure", "period_text",
        "actor_ids", "n_mentions", "n_articles",
    ),
    "fct_figure_mentions": (
        "figure_id", "article_id", "claim_id", "char_start", "char_end", "surface_text",
    ),
    "fct_events": (
        "event_id", "event_type", "event_date", "date_precision", "actor_ids", "location",
        "description", "n_mentions", "n_articles",
    ),
    "fct_event_mentions": (
        "event_id", "article_id", "claim_id", "char_start", "char_end", "surface_text",
    ),
}

PUBLISHED_SCHEMAS = ("marts",)


def publish(work_db: Path, target: Path, parquet_dir: Path) -> dict[str, int]:
    """Copy ``work_db`` to ``target`` atomically and export the marts as Parquet.

    Returns the row count of every published mart table.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_parquet = parquet_dir.with_name(f".{parquet_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp_parquet, ignore_errors=True)
    con = duckdb.connect(str(work_db))
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' "
            "order by 1, 2",
            [list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        counts: dict[str, int] = {}
        for schema, table in tables:
            out = tmp_parquet / schema / f"{table}.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            # Identifiers come from the catalog and the path from our settings,
            # never from article text; COPY takes no bound parameters.
            con.execute(
                f'copy "{schema}"."{table}" to {_sql_string(str(out))} (format parquet)'
            )
            counts[f"{schema}.{table}"] = con.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
        con.execute("checkpoint")
    finally:
        con.close()

    tmp_db = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.copyfile(work_db, tmp_db)
    with open(tmp_db, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp_db, target)

    # Two renames: readers of the Parquet folder see either the old or the new
    # set except for a moment between them.
    old = parquet_dir.with_name(f".{parquet_dir.name}.old-{os.getpid()}")
    if parquet_dir.exists():
        os.replace(parquet_dir, old)
    os.replace(tmp_parquet, parquet_dir)
    shutil.rmtree(old, ignore_errors=True)
    return counts


def missing_contract_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """``table.column`` names of the analysts' contract absent from ``marts``."""
    present = {
        (t, c)
        for t, c in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts'"
        ).fetchall()
    }
    return [f"{t}.{c}" for t, cols in CONTRACT.items() for c in cols if (t, c) not in present]


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
