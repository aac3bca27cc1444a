"""The clean stage's incremental step: read, decode and clean what changed.

:func:`clean_pending` picks the files the inventory flagged (new, or size/mtime
moved), the live files whose cleaning code changed, the ``failed`` files whose
code changed since they failed, and whatever ops asked to reprocess. Each file
is read and hashed once; a file whose bytes did not change keeps its rows. Bad
input is quarantined with a reason; an error of our code marks the file
``failed`` with the error as its reason, and the other files go through.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import duckdb

from .. import parallel, warehouse
from ..ingest.files import BadInput, FileContent, decode_file, read_file
from ..ingest.safety import body_problem, entry_problem
from ..records import CleanedArticle

log = logging.getLogger(__name__)

# Files read and recorded together (one transaction) before they go to the engine.
READ_BLOCK = warehouse.WRITE_BATCH


def clean_code_version() -> str:
    return warehouse.code_version("clean", "records.py")


def code_versions() -> str:
    """Clean and extract code versions: what a ``failed`` file's ``failed_key`` holds
    beside its content hash, so it is retried when either stage's code changes."""
    return f"{clean_code_version()}:{warehouse.extract_code_version()}"


def body_key(body_text: str, published_date, truncated_from) -> str:
    """What extraction depends on besides its code."""
    raw = f"{published_date}|{truncated_from}|{body_text}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def clean_pending(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    *,
    paths: Sequence[str] = (),
    force_all: bool = False,
    progress: warehouse.Progress | None = None,
    engine: parallel.Engine | None = None,
) -> warehouse.StepStats:
    """Clean every file whose content or cleaning code changed (or that is forced).

    Decoding and cleaning run on ``engine`` (:mod:`..parallel`; default: a local
    cluster for big batches, in-process for small ones); this process writes.
    """
    warehouse.ensure_schema(con)
    version = clean_code_version()
    codes = code_versions()
    forced = list(paths)
    rows = pending_files(con, version=version, codes=codes, forced=forced, force_all=force_all)
    stats = warehouse.StepStats()
    forced_set = set(forced)
    not_sent = 0  # files looked at but not cleaned (unchanged, rejected, unreadable)

    def payloads():
        nonlocal not_sent
        # Lazy: files are read, hashed and recorded a block at a time, when the engine
        # asks for more input, so at most the chunks in flight and one block hold
        # bytes, whatever the number of pending files (a file is still read once per
        # run). One block's contents are recorded in one transaction: a statement
        # and a commit per file were most of this step's time in the writer.
        for start in range(0, len(rows), READ_BLOCK):
            pending = rows[start:start + READ_BLOCK]
            block = _read_block(con, raw_dir, stats, pending, version=version, codes=codes,
                                forced=forced_set, force_all=force_all)
            not_sent += len(pending) - len(block)
            for source_path, article_id, content in block:
                yield (source_path, article_id, content.content_hash), (content.data, source_path)

    engine = engine or parallel.Engine()
    batch = _Cleaned(con, stats, version=version, codes=codes)
    # len(rows) bounds what is sent (a touched but unchanged file is not); the engine
    # starts a cluster only once enough inputs really arrive.
    for i, (key, outcome) in enumerate(engine.map(clean_bytes, payloads(), len(rows))):
        source_path, article_id, content_hash = key
        _land(batch, source_path, article_id, content_hash, outcome)
        if progress:
            # The inputs read ahead of this one but not sent count as done, so the
            # bar ends at its total even when touched files turn out unchanged.
            progress(i + 1 + not_sent, len(rows))
    batch.flush()
    if progress and rows:
        progress(len(rows), len(rows))
    return stats


def _read_block(
    con: duckdb.DuckDBPyConnection, raw_dir: Path, stats: warehouse.StepStats,
    rows: Sequence[tuple], *, version: str, codes: str, forced: set[str], force_all: bool,
) -> list[tuple[str, str, FileContent]]:
    """Read and record a block of pending files; ``(source_path, article_id, content)``
    of those that must be cleaned (not rejected, unreadable, or unchanged bytes whose
    verdict stands), in order."""
    read = []
    for source_path, article_id, status, cleaned_key, failed_key in rows:
        # Checked again right before reading: the entry may have become a link out of
        # RAW_DIR (or a FIFO) since the inventory, and reprocess-all reaches every file.
        problem = entry_problem(raw_dir, raw_dir / source_path, source_path)
        if problem:
            warehouse.reject(con, stats, source_path=source_path, article_id=article_id,
                             reason=problem, failed_key=None)
            continue
        try:
            content = read_file(raw_dir / source_path)
        except OSError as exc:  # vanished or unreadable: the next run sees it again
            log.warning("cannot read %s: %s", source_path, exc)
            stats.skipped += 1
            continue
        read.append((source_path, article_id, status, cleaned_key, failed_key, content))
    changed = warehouse.record_contents(
        con,
        [(r[0], r[5].content_hash, r[5].size_bytes, r[5].mtime_ns) for r in read],
        warehouse.utcnow(),
    )
    out = []
    for source_path, article_id, status, cleaned_key, failed_key, content in read:
        if source_path in changed:
            stats.new_or_changed.append(source_path)
        elif _verdict_stands(status, cleaned_key, failed_key,
                             f"{content.content_hash}:{version}",
                             f"{content.content_hash}:{codes}",
                             force_all or source_path in forced):
            stats.skipped += 1  # touched, not changed: the earlier verdict stands
            continue
        out.append((source_path, article_id, content))
    return out


def pending_files(
    con: duckdb.DuckDBPyConnection, *, version: str, codes: str, forced: list[str],
    force_all: bool,
) -> list[tuple]:
    """(source_path, article_id, status, cleaned_key, failed_key) of the files to look
    at: flagged by the inventory, cleaned by older code, failed with older code, or
    forced by ops. Removed files never."""
    return con.execute(
        """
        select source_path, article_id, status, cleaned_key, failed_key
        from raw.files
        where status <> 'removed'
          and (coalesce(needs_check, false)
               or ? or list_contains(?, source_path)
               or (status in ('pending', 'ok')
                   and cleaned_key is distinct from content_hash || ':' || ?)
               or (status = 'failed'
                   and failed_key is distinct from content_hash || ':' || ?))
        order by source_path
        """,
        [force_all, forced, version, codes],
    ).fetchall()


def clean_bytes(payload: tuple) -> tuple:
    """Decode and clean one file's bytes: a pure function, run on a worker or in-process.

    Returns ``("ok", detected_format, encoding, CleanedArticle)``, ``("bad", reason)``
    for bad input, or ``("failed", reason)`` when our code raised.
    """
    from . import clean_document  # heavy imports stay out of sensor/UI start-up

    data, source_path = payload
    try:
        decoded = decode_file(data, source_path)
        article = clean_document(decoded.text, decoded.detected_format)
        if not article.body_text.strip():
            raise BadInput("no article body found after removing boilerplate")
        too_long = body_problem(article.body_text)
        if too_long:
            raise BadInput(too_long)
    except BadInput as exc:
        return ("bad", str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the others
        return ("failed", f"cleaning failed: {type(exc).__name__}: {exc}")
    return ("ok", decoded.detected_format, decoded.encoding, article)


class _Cleaned(warehouse.WriteBatch[tuple]):
    """Cleaned articles landing ``warehouse.WRITE_BATCH`` per transaction (a commit
    per article was most of the single writer's work in this step). Each item is
    ``(source_path, article_id, content_hash, detected_format, encoding, article)``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, stats: warehouse.StepStats, *,
                 version: str, codes: str) -> None:
        super().__init__(con, stats)
        self.version, self.codes = version, codes

    def fail(self, item: tuple, exc: Exception) -> None:
        self.reject(item[0], item[1], item[2], f"cleaning failed: {type(exc).__name__}: {exc}")

    def write(self, items: list[tuple]) -> None:
        write_cleaned(self.con, [(a, p, h, f, art) for p, a, h, f, _, art in items])
        warehouse.mark_cleaned(
            self.con, [(p, f, enc, f"{h}:{self.version}") for p, _, h, f, enc, _ in items]
        )

    def reject(self, source_path: str, article_id: str, content_hash: str | None,
               reason: str) -> None:
        """Bad input (``content_hash`` None: quarantined) or an error of our code
        (``failed``, with the content and code versions of the attempt)."""
        warehouse.reject(self.con, self.stats, source_path=source_path, article_id=article_id,
                         reason=reason,
                         failed_key=None if content_hash is None else
                         f"{content_hash}:{self.codes}")


def _land(batch: _Cleaned, source_path: str, article_id: str, content_hash: str,
          outcome) -> None:
    """Land one file's verdict: ok (written with its batch), quarantined (bad input) or
    failed (our code raised)."""
    if isinstance(outcome, parallel.TaskFailure):
        outcome = ("failed", f"cleaning failed: {outcome.reason}")
    if outcome[0] == "bad":
        batch.reject(source_path, article_id, None, outcome[1])
    elif outcome[0] == "ok":
        _, detected_format, encoding, article = outcome
        batch.add((source_path, article_id, content_hash, detected_format, encoding, article))
    else:
        batch.reject(source_path, article_id, content_hash, outcome[1])


def _verdict_stands(
    status: str, cleaned_key: str | None, failed_key: str | None,
    clean_key: str, attempt_key: str, forced: bool,
) -> bool:
    """Whether the last verdict on unchanged bytes still holds: bad input stays
    quarantined; a clean with the current code, or a failure with the current code
    versions, is not redone unless ops reprocess the file."""
    if status == "quarantined":
        return True
    if forced:
        return False
    if status == "ok":
        return cleaned_key == clean_key
    if status == "failed":
        return failed_key == attempt_key
    return False


def write_cleaned(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[tuple[str, str, str, str, CleanedArticle]],
) -> None:
    """Replace the article rows and removed blocks of each ``(article_id, source_path,
    content_hash, detected_format, article)`` of ``batch``: one delete and one insert
    per table for the whole batch (caller holds the transaction)."""
    warehouse.delete_articles_rows(con, [b[0] for b in batch], warehouse.CLEANING_TABLES)
    warehouse.insert_many(
        con,
        "raw.articles",
        13,
        (
            [article_id, source_path, content_hash, detected_format, a.title, a.subtitle,
             a.author, a.published_date, a.site_name, a.body_text, a.truncated_from,
             body_key(a.body_text, a.published_date, a.truncated_from), None]
            for article_id, source_path, content_hash, detected_format, a in batch
        ),
    )
    warehouse.insert_many(
        con,
        "raw.removed_blocks",
        6,
        (
            [article_id, i, b.reason, b.text, b.raw_start, b.raw_end]
            for article_id, _, _, _, article in batch
            for i, b in enumerate(article.removed_blocks)
        ),
    )
