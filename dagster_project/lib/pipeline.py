"""The incremental steps of the pipeline, as plain functions over a DuckDB connection.

The Dagster assets are thin wrappers around these. Each step only touches what
changed since the last run:

1. :func:`sync_inventory` fingerprints the files under RAW_DIR, quarantines bad
   ones with a reason and marks deleted ones ``removed``.
2. :func:`clean_pending` cleans files whose content or cleaning code changed.
3. :func:`extract_pending` extracts from articles whose body or extraction code
   changed.

One bad article never stops the others: its error becomes its quarantine reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from . import store
from .ingest import (
    BadInput,
    body_key,
    clean_code_version,
    decode_file,
    extract_code_version,
    scan_raw_dir,
    sha256_bytes,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class StepStats:
    """What one step did, for run logs and asset metadata."""

    processed: int = 0
    skipped: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new_or_changed: list[str] = field(default_factory=list)


def sync_inventory(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> StepStats:
    """Bring ``raw.files`` in line with what is on disk now."""
    store.ensure_schema(con)
    stats = StepStats()
    known = {
        row[0]: row[1:]
        for row in con.execute(
            "select source_path, size_bytes, mtime_ns, content_hash, status from raw.files"
        ).fetchall()
    }
    seen: set[str] = set()
    now = store.utcnow()
    for f in scan_raw_dir(raw_dir):
        seen.add(f.source_path)
        prev = known.get(f.source_path)
        if prev and prev[3] != "removed" and prev[0] == f.size_bytes and prev[1] == f.mtime_ns:
            stats.skipped += 1
            continue
        try:
            data = f.abs_path.read_bytes()
        except OSError as exc:  # vanished or unreadable: try again next run
            log.warning("cannot read %s: %s", f.source_path, exc)
            continue
        content_hash = sha256_bytes(data)
        if prev and prev[3] != "removed" and prev[2] == content_hash:
            # Touched but not changed: remember the new stat, do nothing else.
            con.execute(
                "update raw.files set size_bytes = ?, mtime_ns = ? where source_path = ?",
                [f.size_bytes, f.mtime_ns, f.source_path],
            )
            stats.skipped += 1
            continue
        stats.new_or_changed.append(f.source_path)
        status, reason, fmt, encoding = "pending", None, None, None
        try:
            decoded = decode_file(data, f.source_path)
            fmt, encoding = decoded.detected_format, decoded.encoding
        except BadInput as exc:
            status, reason = "quarantined", str(exc)
            stats.quarantined.append((f.source_path, reason))
        con.begin()
        con.execute(
            """
            insert into raw.files (source_path, article_id, size_bytes, mtime_ns, content_hash,
                detected_format, encoding, status, quarantine_reason, first_seen_at,
                last_changed_at, cleaned_key)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)
            on conflict (source_path) do update set
                size_bytes = excluded.size_bytes, mtime_ns = excluded.mtime_ns,
                content_hash = excluded.content_hash, detected_format = excluded.detected_format,
                encoding = excluded.encoding, status = excluded.status,
                quarantine_reason = excluded.quarantine_reason,
                last_changed_at = excluded.last_changed_at, cleaned_key = null
            """,
            [f.source_path, f.article_id, f.size_bytes, f.mtime_ns, content_hash, fmt, encoding,
             status, reason, now, now],
        )
        if status == "quarantined":
            store.delete_article_rows(con, f.article_id)
        con.commit()
    for source_path, prev in known.items():
        if source_path not in seen and prev[3] != "removed":
            article_id = _article_id(con, source_path)
            con.begin()
            con.execute(
                "update raw.files set status = 'removed', quarantine_reason = null, "
                "cleaned_key = null, last_changed_at = ? where source_path = ?",
                [now, source_path],
            )
            # The article row stays for the record; its facts stop counting.
            store.delete_article_rows(con, article_id, store.EXTRACTION_TABLES)
            con.execute(
                "update raw.articles set extracted_key = null where article_id = ?", [article_id]
            )
            con.commit()
            stats.removed.append(source_path)
    return stats


def clean_pending(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    *,
    paths: Sequence[str] = (),
    force_all: bool = False,
    progress: Progress | None = None,
) -> StepStats:
    """Clean every file whose content or cleaning code changed (or that is forced)."""
    from .clean import clean_document  # heavy imports stay out of sensor/UI start-up

    store.ensure_schema(con)
    version = clean_code_version()
    forced = list(paths)
    rows = con.execute(
        """
        select source_path, article_id, content_hash from raw.files
        where status in ('pending', 'ok')
          and (cleaned_key is distinct from content_hash || ':' || ?
               or ? or list_contains(?, source_path))
        order by source_path
        """,
        [version, force_all, forced],
    ).fetchall()
    stats = StepStats()
    for i, (source_path, article_id, content_hash) in enumerate(rows):
        try:
            data = (raw_dir / source_path).read_bytes()
            if sha256_bytes(data) != content_hash:
                # Edited since the inventory: the next run picks the new version up.
                stats.skipped += 1
                continue
            decoded = decode_file(data, source_path)
            article = clean_document(decoded.text, decoded.detected_format)
            if not article.body_text.strip():
                raise BadInput("no article body found after removing boilerplate")
            con.begin()
            store.write_cleaned(
                con,
                article_id=article_id,
                source_path=source_path,
                content_hash=content_hash,
                detected_format=decoded.detected_format,
                article=article,
                body_key=body_key(
                    article.body_text, article.published_date, article.truncated_from
                ),
            )
            con.execute(
                "update raw.files set status = 'ok', quarantine_reason = null, cleaned_key = ? "
                "where source_path = ?",
                [f"{content_hash}:{version}", source_path],
            )
            con.commit()
            stats.processed += 1
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the others
            _rollback(con)
            reason = str(exc) if isinstance(exc, BadInput) else (
                f"cleaning failed: {type(exc).__name__}: {exc}"
            )
            log.warning("quarantined %s: %s", source_path, reason)
            _quarantine(con, source_path, article_id, reason)
            stats.quarantined.append((source_path, reason))
        if progress:
            progress(i + 1, len(rows))
    return stats


def extract_pending(
    con: duckdb.DuckDBPyConnection,
    *,
    paths: Sequence[str] = (),
    force_all: bool = False,
    progress: Progress | None = None,
) -> StepStats:
    """Extract from every live article whose body or extraction code changed."""
    from .extract import extract_article

    store.ensure_schema(con)
    version = extract_code_version()
    forced = list(paths)
    ids = con.execute(
        """
        select a.article_id, a.source_path from raw.articles a
        join raw.files f using (article_id)
        where f.status = 'ok'
          and (a.extracted_key is distinct from ? || ':' || a.body_key
               or ? or list_contains(?, a.source_path))
        order by a.source_path
        """,
        [version, force_all, forced],
    ).fetchall()
    stats = StepStats()
    for i, (article_id, source_path) in enumerate(ids):
        body, published, truncated_from, key = con.execute(
            "select body_text, published_date, truncated_from, body_key "
            "from raw.articles where article_id = ?",
            [article_id],
        ).fetchone()
        try:
            extraction = extract_article(
                body, published_date=published, truncated_from=truncated_from
            )
            con.begin()
            store.write_extraction(con, article_id=article_id, extraction=extraction)
            con.execute(
                "update raw.articles set extracted_key = ? where article_id = ?",
                [f"{version}:{key}", article_id],
            )
            con.commit()
            stats.processed += 1
        except Exception as exc:  # noqa: BLE001
            _rollback(con)
            reason = f"extraction failed: {type(exc).__name__}: {exc}"
            log.warning("quarantined %s: %s", source_path, reason)
            _quarantine(con, source_path, article_id, reason)
            stats.quarantined.append((source_path, reason))
        if progress:
            progress(i + 1, len(ids))
    return stats


def _quarantine(con: duckdb.DuckDBPyConnection, source_path: str, article_id: str, reason: str):
    con.begin()
    con.execute(
        "update raw.files set status = 'quarantined', quarantine_reason = ?, cleaned_key = null "
        "where source_path = ?",
        [reason, source_path],
    )
    store.delete_article_rows(con, article_id)
    con.commit()


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.rollback()
    except duckdb.Error:
        pass  # no transaction was open


def _article_id(con: duckdb.DuckDBPyConnection, source_path: str) -> str:
    return con.execute(
        "select article_id from raw.files where source_path = ?", [source_path]
    ).fetchone()[0]
