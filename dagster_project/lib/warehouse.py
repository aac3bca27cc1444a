"""The pipeline's landing tables in DuckDB (schema ``raw``) and their shared bookkeeping.

dbt reads these tables as its sources. This module owns what every stage
shares: the DDL, the deletion of an article's rows, step statistics, code
versions, stable ids, and the lifecycle of a file (``raw.files.status``). Every
status change goes through one of the ``mark_*`` functions below, so the rules
of the lifecycle live in one place:

- ``pending``: seen, never read yet;
- ``ok``: read, decoded and cleaned (extraction may still be pending);
- ``quarantined``: bad input (empty, binary, undecodable, unsupported, no
  body). It stays so until the file's content changes;
- ``failed``: our code raised on it. It is retried when the cleaning or
  extraction code changes, or when ops reprocess it;
- ``removed``: the file is gone from RAW_DIR; its article row stays for the
  record, its facts stop counting.

(Over 400 lines because the DDL of every landing table is here, in one place.)

Every write goes through parameterised statements: no article text is ever
pasted into SQL. Rows of one article are replaced in one transaction, so a
changed file never has two versions live.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import duckdb

T = TypeVar("T")

LIB_DIR = Path(__file__).resolve().parent

log = logging.getLogger(__name__)

SCHEMA_DDL = """
create schema if not exists raw;

-- One row per file ever seen under RAW_DIR (the inventory).
create table if not exists raw.files (
    source_path      varchar primary key,  -- relative to RAW_DIR, '/'-separated
    article_id       varchar not null,     -- stable: derived from source_path
    size_bytes       bigint,
    mtime_ns         bigint,
    content_hash     varchar,              -- sha256 of the bytes last read
    detected_format  varchar,              -- 'text' | 'html' | null
    encoding         varchar,
    status           varchar not null,     -- see lib.warehouse: pending|ok|quarantined|failed|removed
    quarantine_reason varchar,
    first_seen_at    timestamp,
    last_changed_at  timestamp,
    cleaned_key      varchar,              -- content_hash:clean code version last cleaned
    needs_check      boolean,              -- size or mtime moved since the content was last read
    failed_key       varchar               -- content_hash:clean version:extract version that failed
);
alter table raw.files add column if not exists needs_check boolean;
alter table raw.files add column if not exists failed_key varchar;

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

-- Cross-article actor names (lib.extract.actor_names): every canonical name of
-- raw.actor_mentions -> the one name of its actor; recomputed on every run.
create table if not exists raw.actor_names (
    raw_name       varchar not null,
    canonical_name varchar not null
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

-- Written by the dedup stage (lib.dedup.step) from articles and claims.
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

-- What the two cluster tables were last computed from (one row; lib.dedup.step).
create table if not exists raw.cluster_state (
    inputs_fingerprint varchar not null,
    computed_at        timestamp not null
);

-- Articles whose rewrite cluster or a claim's cluster changed (or that appeared in or
-- left the cluster tables), with the time of the clustering that changed them.
create table if not exists raw.cluster_changes (
    article_id varchar primary key,
    changed_at timestamp not null
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
CLEANING_TABLES = ARTICLE_TABLES[:2]
EXTRACTION_TABLES = ARTICLE_TABLES[2:]

# Files whose article feeds no fact (and must not glue live articles together
# in the rewrite clustering).
DEAD_STATUSES = ("removed", "quarantined", "failed")

Progress = Callable[[int, int], None]


@dataclass
class StepStats:
    """What one step did, for run logs and asset metadata."""

    processed: int = 0
    skipped: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new_or_changed: list[str] = field(default_factory=list)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_DDL)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- ids and versions -------------------------------------------------------


def stable_id(*parts: object) -> str:
    """md5 of the '|'-joined parts, nulls spelled '<null>'.

    The same function as dbt's ``surrogate_key`` macro (``dbt/macros/
    surrogate_key.sql``), so ids made here and in the warehouse agree;
    ``tests/test_warehouse.py`` computes both on the same parts.
    """
    text = "|".join("<null>" if p is None else str(p) for p in parts)
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def code_version(*parts: str) -> str:
    """Hash of the source and data files of the given ``lib`` sub-packages/modules.

    A change to a stage's code changes its version, so every article is
    processed again by that stage; nothing else triggers it.
    """
    digest = hashlib.sha256()
    for part in parts:
        target = LIB_DIR / part
        files = sorted(target.rglob("*")) if target.is_dir() else [target]
        for f in files:
            if f.is_file() and f.suffix in {".py", ".csv", ".json", ".yaml", ".txt"}:
                digest.update(f.relative_to(LIB_DIR).as_posix().encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


# --- article rows -------------------------------------------------------------


def extract_code_version() -> str:
    """The extraction stage's version: an article whose ``extracted_key`` does not
    carry it is extracted again. Here rather than in ``lib.extract`` so the checks
    that must stay light (the clean step's failed keys, the CLI's no-op test) read
    it without importing the NLP stack."""
    return code_version("extract", "records.py")


def articles_to_extract(
    con: duckdb.DuckDBPyConnection, *, forced: Sequence[str] = (), force_all: bool = False
) -> list[tuple[str, str, str, int]]:
    """``(article_id, source_path, content_hash, row)`` of every live article the
    extract stage must (re)do: its body, date, truncation point or the extraction
    code changed since it was extracted, or ops asked (``forced`` source paths, or
    ``force_all``). ``row`` is the article's position in ``raw.articles`` (its
    rowid), and the list is in that order, so the step reads bodies as ranges of
    the table. The extract step and the CLI's no-op check share it; here rather
    than in ``lib.extract`` so the check does not load the NLP stack."""
    return con.execute(
        """
        select a.article_id, a.source_path, f.content_hash, a.rowid from raw.articles a
        join raw.files f using (article_id)
        where f.status = 'ok'
          and (a.extracted_key is distinct from ? || ':' || a.body_key
               or ? or list_contains(?, a.source_path))
        order by a.rowid
        """,
        [extract_code_version(), force_all, list(forced)],
    ).fetchall()


def delete_article_rows(
    con: duckdb.DuckDBPyConnection, article_id: str, tables: Sequence[str] = ARTICLE_TABLES
) -> None:
    delete_articles_rows(con, [article_id], tables)


def delete_articles_rows(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str],
    tables: Sequence[str] = ARTICLE_TABLES,
) -> None:
    """:func:`delete_article_rows` for many articles, one statement per table."""
    for table in tables:  # table names come from the fixed tuples above
        con.execute(f"delete from {table} where list_contains(?, article_id)", [list(article_ids)])


def insert_many(
    con: duckdb.DuckDBPyConnection, table: str, n_columns: int, rows: Iterable[list]
) -> None:
    rows = list(rows)
    if rows:
        # One statement with a list parameter per column, unnested side by side:
        # about 100x faster than executemany's row-at-a-time inserts, which made
        # the single writer the bottleneck of a parallel extraction.
        columns = [list(c) for c in zip(*rows, strict=True)]
        assert len(columns) == n_columns, f"{table}: {len(columns)} columns, not {n_columns}"
        select = ", ".join(f"unnest(${i + 1})" for i in range(n_columns))
        con.execute(f"insert into {table} select {select}", columns)


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.rollback()
    except duckdb.Error:
        pass  # no transaction was open


# --- the file lifecycle: every write of raw.files.status is here --------------


def mark_seen(
    con: duckdb.DuckDBPyConnection,
    files: Sequence[tuple[str, str, int, int]],
    now: dt.datetime,
) -> None:
    """New files, or ones back after removal, each ``(source_path, article_id,
    size_bytes, mtime_ns)``: ``pending`` until they are read. One statement for all
    of them: an upsert per file cost 3.4 ms each, 34 s for 10,000 new files."""
    if not files:
        return
    paths, ids, sizes, mtimes = (list(column) for column in zip(*files, strict=True))
    con.execute(
        """
        insert into raw.files (source_path, article_id, size_bytes, mtime_ns, content_hash,
            detected_format, encoding, status, quarantine_reason, first_seen_at,
            last_changed_at, cleaned_key, needs_check, failed_key)
        select source_path, article_id, size_bytes, mtime_ns, null, null, null, 'pending',
            null, ?, ?, null, true, null
        from (select unnest(?::varchar[]) as source_path, unnest(?::varchar[]) as article_id,
                     unnest(?::bigint[]) as size_bytes, unnest(?::bigint[]) as mtime_ns)
        on conflict (source_path) do update set
            size_bytes = excluded.size_bytes, mtime_ns = excluded.mtime_ns,
            content_hash = null, status = 'pending', quarantine_reason = null,
            last_changed_at = excluded.last_changed_at, cleaned_key = null,
            needs_check = true, failed_key = null
        """,
        [now, now, paths, ids, sizes, mtimes],
    )


def mark_stat_changed(
    con: duckdb.DuckDBPyConnection, files: Sequence[tuple[str, int, int]]
) -> None:
    """Size or mtime moved, each ``(source_path, size_bytes, mtime_ns)``: the clean
    step reads the file again to see whether its content changed. The status (and
    an earlier verdict) stays until then."""
    if not files:
        return
    paths, sizes, mtimes = (list(column) for column in zip(*files, strict=True))
    con.execute(
        """
        update raw.files set size_bytes = c.size_bytes, mtime_ns = c.mtime_ns,
            needs_check = true
        from (select unnest(?::varchar[]) as source_path, unnest(?::bigint[]) as size_bytes,
                     unnest(?::bigint[]) as mtime_ns) c
        where raw.files.source_path = c.source_path
        """,
        [paths, sizes, mtimes],
    )


def record_contents(
    con: duckdb.DuckDBPyConnection,
    contents: Sequence[tuple[str, str, int, int]],
    now: dt.datetime,
) -> set[str]:
    """Store what was read, ``(source_path, content_hash, size_bytes, mtime_ns)`` per
    file, in one statement; returns the paths whose content differs from the last read.

    New content forgets every earlier verdict (a quarantined file whose content
    changed is tried again)."""
    if not contents:
        return set()
    paths = [c[0] for c in contents]
    previous = dict(con.execute(
        "select source_path, content_hash from raw.files where list_contains(?, source_path)",
        [paths],
    ).fetchall())
    changed = {path for path, content_hash, _, _ in contents
               if previous.get(path) != content_hash}
    con.execute(  # one statement: one transaction
        """
        update raw.files set content_hash = c.content_hash, size_bytes = c.size_bytes,
            mtime_ns = c.mtime_ns, needs_check = false,
            cleaned_key = case when c.changed then null else raw.files.cleaned_key end,
            failed_key = case when c.changed then null else raw.files.failed_key end,
            last_changed_at = case when c.changed then ? else raw.files.last_changed_at end
        from (select unnest(?::varchar[]) as source_path, unnest(?::varchar[]) as content_hash,
                     unnest(?::bigint[]) as size_bytes, unnest(?::bigint[]) as mtime_ns,
                     unnest(?::boolean[]) as changed) c
        where raw.files.source_path = c.source_path
        """,
        [now, paths, [c[1] for c in contents], [c[2] for c in contents],
         [c[3] for c in contents], [p in changed for p in paths]],
    )
    return changed


def mark_cleaned(
    con: duckdb.DuckDBPyConnection, cleaned: Sequence[tuple[str, str, str, str]]
) -> None:
    """Decoded and cleaned: ``ok``, for each ``(source_path, detected_format, encoding,
    cleaned_key)``, in one statement (caller holds the transaction with the article rows)."""
    con.execute(
        """
        update raw.files set status = 'ok', quarantine_reason = null, cleaned_key = c.ck,
            failed_key = null, detected_format = c.fmt, encoding = c.enc
        from (select unnest(?::varchar[]) as source_path, unnest(?::varchar[]) as fmt,
                     unnest(?::varchar[]) as enc, unnest(?::varchar[]) as ck) c
        where raw.files.source_path = c.source_path
        """,
        [list(col) for col in zip(*cleaned, strict=True)],
    )


def mark_quarantined(
    con: duckdb.DuckDBPyConnection, *, source_path: str, article_id: str, reason: str
) -> None:
    """Bad input: quarantined with ``reason`` until its content changes."""
    con.begin()
    con.execute(
        "update raw.files set status = 'quarantined', quarantine_reason = ?, cleaned_key = null, "
        "failed_key = null where source_path = ?",
        [reason, source_path],
    )
    delete_article_rows(con, article_id)
    con.commit()


def mark_failed(
    con: duckdb.DuckDBPyConnection,
    *,
    source_path: str,
    article_id: str,
    reason: str,
    failed_key: str,
) -> None:
    """Our code failed on this file: ``failed``, retried when ``failed_key`` (content
    and code versions of this attempt) no longer matches, or on reprocess."""
    con.begin()
    con.execute(
        "update raw.files set status = 'failed', quarantine_reason = ?, cleaned_key = null, "
        "failed_key = ? where source_path = ?",
        [reason, failed_key, source_path],
    )
    delete_article_rows(con, article_id)
    con.commit()


def mark_removed(
    con: duckdb.DuckDBPyConnection, *, source_path: str, article_id: str, now: dt.datetime
) -> None:
    """Gone from RAW_DIR: the article row stays for the record, its facts stop counting."""
    con.begin()
    con.execute(
        "update raw.files set status = 'removed', quarantine_reason = null, cleaned_key = null, "
        "failed_key = null, needs_check = false, last_changed_at = ? where source_path = ?",
        [now, source_path],
    )
    delete_article_rows(con, article_id, EXTRACTION_TABLES)
    con.execute("update raw.articles set extracted_key = null where article_id = ?", [article_id])
    con.commit()


def reject(
    con: duckdb.DuckDBPyConnection,
    stats: StepStats,
    *,
    source_path: str,
    article_id: str,
    reason: str,
    failed_key: str | None,
) -> None:
    """Abandon the article's open transaction and land the rejection: bad input
    (``failed_key`` None: quarantined) or an error of our code (``failed``, with the
    content and code versions of the attempt)."""
    rollback(con)
    if failed_key is None:
        log.warning("quarantined %s: %s", source_path, reason)
        mark_quarantined(con, source_path=source_path, article_id=article_id, reason=reason)
    else:
        log.warning("failed %s: %s", source_path, reason)
        mark_failed(con, source_path=source_path, article_id=article_id, reason=reason,
                    failed_key=failed_key)
    stats.quarantined.append((source_path, reason))


def mark_unreadable(
    con: duckdb.DuckDBPyConnection,
    *,
    source_path: str,
    article_id: str,
    size_bytes: int,
    mtime_ns: int,
    reason: str,
    now: dt.datetime,
) -> None:
    """An entry the inventory must not read (lib.ingest.safety): ``quarantined`` with
    ``reason`` and never flagged for the clean step; its article rows, if it had
    any as a readable file, are deleted (caller holds the transaction)."""
    con.execute(
        """
        insert into raw.files (source_path, article_id, size_bytes, mtime_ns, content_hash,
            detected_format, encoding, status, quarantine_reason, first_seen_at,
            last_changed_at, cleaned_key, needs_check, failed_key)
        values (?, ?, ?, ?, null, null, null, 'quarantined', ?, ?, ?, null, false, null)
        on conflict (source_path) do update set
            size_bytes = excluded.size_bytes, mtime_ns = excluded.mtime_ns,
            content_hash = null, status = 'quarantined',
            quarantine_reason = excluded.quarantine_reason,
            last_changed_at = excluded.last_changed_at, cleaned_key = null,
            needs_check = false, failed_key = null
        """,
        [source_path, article_id, size_bytes, mtime_ns, reason, now, now],
    )
    delete_article_rows(con, article_id)


# Rows of articles written per transaction by the clean and extract steps. One
# commit per article cost the single writer about 12 ms of CPU an article (16 ms
# at 10k articles), a batch of 32 about 2 ms: at scale the writer shares the
# machine with the workers.
WRITE_BATCH = 32


class WriteBatch(Generic[T]):
    """Items written ``size`` per transaction by :meth:`write` (a subclass's, called
    inside the transaction with a list of items); each landed item counts as
    processed in ``stats``. If a batch's transaction fails, its items are written
    again one by one, so the one that fails goes to :meth:`fail` (with its exception)
    alone and the others land. Call :meth:`flush` at the end."""

    def __init__(self, con: duckdb.DuckDBPyConnection, stats: StepStats,
                 size: int = WRITE_BATCH) -> None:
        self.con, self.stats, self.size = con, stats, size
        self.items: list[T] = []

    def write(self, items: list[T]) -> None:
        raise NotImplementedError

    def fail(self, item: T, exc: Exception) -> None:
        raise NotImplementedError

    def add(self, item: T) -> None:
        self.items.append(item)
        if len(self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        items, self.items = self.items, []
        if not items:
            return
        try:
            self._commit(items)
        except Exception:  # noqa: BLE001 - retried one by one below, to find the bad one
            rollback(self.con)
            for item in items:
                try:
                    self._commit([item])
                except Exception as exc:  # noqa: BLE001 - one bad article must not stop the others
                    rollback(self.con)
                    self.fail(item, exc)

    def _commit(self, items: list[T]) -> None:
        self.con.begin()
        self.write(items)
        self.con.commit()
        self.stats.processed += len(items)
