"""The pipeline's landing tables in DuckDB (schema ``raw``), which dbt reads as sources.

Every write goes through parameterised statements: no article text is ever
pasted into SQL. Rows of one article are replaced in one transaction, so a
changed file never has two versions live.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import duckdb

from .records import CleanedArticle, Extraction

SCHEMA_DDL = """
create schema if not exists raw;

-- One row per file ever seen under RAW_DIR (the inventory).
create table if not exists raw.files (
    source_path      varchar primary key,  -- relative to RAW_DIR, '/'-separated
    article_id       varchar not null,     -- stable: derived from source_path
    size_bytes       bigint,
    mtime_ns         bigint,
    content_hash     varchar,              -- sha256 of the bytes
    detected_format  varchar,              -- 'text' | 'html' | null
    encoding         varchar,
    status           varchar not null,     -- 'pending' | 'ok' | 'quarantined' | 'removed'
    quarantine_reason varchar,
    first_seen_at    timestamp,
    last_changed_at  timestamp,
    cleaned_key      varchar               -- content_hash:clean code version last cleaned
);

create table if not exists raw.articles (
    article_id      varchar primary key,
    source_path     varchar not null,
    content_hash    varchar not null,
    detected_format varchar not null,
    title           varchar,
    subtitle        varchar,
    author          varchar,
    published_date  date,
    site_name       varchar,
    body_text       varchar not null,
    truncated_from  integer,
    body_key        varchar not null,      -- hash of what extraction reads
    extracted_key   varchar                -- extraction code version:body hash last extracted
);

create table if not exists raw.removed_blocks (
    article_id  varchar not null,
    block_index integer not null,
    reason      varchar not null,
    text        varchar not null,
    raw_start   integer,
    raw_end     integer
);

create table if not exists raw.claims (
    article_id    varchar not null,
    claim_index   integer not null,
    char_start    integer not null,
    char_end      integer not null,
    text          varchar not null,
    assertion     varchar not null,
    attributed_to varchar
);

create table if not exists raw.actor_mentions (
    article_id     varchar not null,
    mention_index  integer not null,
    claim_index    integer not null,
    char_start     integer not null,
    char_end       integer not null,
    surface_text   varchar not null,
    canonical_name varchar not null,
    actor_type     varchar not null
);

create table if not exists raw.figure_mentions (
    article_id    varchar not null,
    mention_index integer not null,
    claim_index   integer not null,
    char_start    integer not null,
    char_end      integer not null,
    surface_text  varchar not null,
    value         double not null,
    value_high    double,
    unit          varchar not null,
    qualifier     varchar not null,
    measure       varchar,
    period_text   varchar,
    actor_names   varchar[]
);

create table if not exists raw.event_mentions (
    article_id     varchar not null,
    mention_index  integer not null,
    claim_index    integer not null,
    char_start     integer not null,
    char_end       integer not null,
    surface_text   varchar not null,
    event_type     varchar not null,
    event_date     varchar,
    date_precision varchar not null,
    date_start     date,
    date_end       date,
    actor_names    varchar[],
    location       varchar,
    description    varchar
);

-- Written by lib.dedup.assign_clusters from articles and claims.
create table if not exists raw.article_clusters (
    article_id         varchar primary key,
    rewrite_cluster_id varchar not null
);

create table if not exists raw.claim_clusters (
    article_id       varchar not null,
    claim_index      integer not null,
    claim_cluster_id varchar not null,
    primary key (article_id, claim_index)
);

-- What the two cluster tables were last computed from (one row; lib.dedup).
create table if not exists raw.cluster_state (
    inputs_fingerprint varchar not null,
    computed_at        timestamp not null
);
"""

ARTICLE_TABLES = (
    "raw.articles",
    "raw.removed_blocks",
    "raw.claims",
    "raw.actor_mentions",
    "raw.figure_mentions",
    "raw.event_mentions",
)
EXTRACTION_TABLES = ARTICLE_TABLES[2:]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_DDL)


def delete_article_rows(
    con: duckdb.DuckDBPyConnection, article_id: str, tables: Sequence[str] = ARTICLE_TABLES
) -> None:
    for table in tables:
        con.execute(f"delete from {table} where article_id = ?", [article_id])


def write_cleaned(
    con: duckdb.DuckDBPyConnection,
    *,
    article_id: str,
    source_path: str,
    content_hash: str,
    detected_format: str,
    article: CleanedArticle,
    body_key: str,
) -> None:
    """Replace the article row and its removed blocks (caller holds the transaction)."""
    delete_article_rows(con, article_id, ("raw.articles", "raw.removed_blocks"))
    con.execute(
        "insert into raw.articles values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)",
        [
            article_id,
            source_path,
            content_hash,
            detected_format,
            article.title,
            article.subtitle,
            article.author,
            article.published_date,
            article.site_name,
            article.body_text,
            article.truncated_from,
            body_key,
        ],
    )
    _insert_many(
        con,
        "raw.removed_blocks",
        6,
        (
            [article_id, i, b.reason, b.text, b.raw_start, b.raw_end]
            for i, b in enumerate(article.removed_blocks)
        ),
    )


def write_extraction(
    con: duckdb.DuckDBPyConnection, *, article_id: str, extraction: Extraction
) -> None:
    """Replace the claims and mentions of one article (caller holds the transaction)."""
    delete_article_rows(con, article_id, EXTRACTION_TABLES)
    _insert_many(
        con,
        "raw.claims",
        7,
        (
            [article_id, i, c.char_start, c.char_end, c.text, c.assertion, c.attributed_to]
            for i, c in enumerate(extraction.claims)
        ),
    )
    _insert_many(
        con,
        "raw.actor_mentions",
        8,
        (
            [article_id, i, m.claim_index, m.char_start, m.char_end, m.surface_text,
             m.canonical_name, m.actor_type]
            for i, m in enumerate(extraction.actor_mentions)
        ),
    )
    _insert_many(
        con,
        "raw.figure_mentions",
        13,
        (
            [article_id, i, f.claim_index, f.char_start, f.char_end, f.surface_text, f.value,
             f.value_high, f.unit, f.qualifier, f.measure, f.period_text, list(f.actor_names)]
            for i, f in enumerate(extraction.figure_mentions)
        ),
    )
    _insert_many(
        con,
        "raw.event_mentions",
        14,
        (
            [article_id, i, e.claim_index, e.char_start, e.char_end, e.surface_text,
             e.event_type, e.event_date, e.date_precision, e.date_start, e.date_end,
             list(e.actor_names), e.location, e.description]
            for i, e in enumerate(extraction.event_mentions)
        ),
    )


def _insert_many(
    con: duckdb.DuckDBPyConnection, table: str, n_columns: int, rows: Iterable[list]
) -> None:
    rows = list(rows)
    if rows:
        placeholders = ", ".join("?" * n_columns)
        con.executemany(f"insert into {table} values ({placeholders})", rows)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
