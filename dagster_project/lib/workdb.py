"""Repair a working database that DuckDB can no longer open.

The working database (``$WAREHOUSE_DIR/.work/pipeline.duckdb``) is a cache of
what the pipeline derived from RAW_DIR: RAW_DIR is the source of truth. When
the file is damaged (a disk error, a copy cut short, bytes overwritten), every
run would fail opening it. Instead, the damaged file (and its WAL) is moved
aside under a timestamped name, kept for inspection, and the run rebuilds
everything from RAW_DIR into a fresh file. The published warehouse is not
touched: analysts keep the last good copy until the rebuild publishes.

Only damage is repaired. A file that is merely busy (another process holds
its lock), unreadable for permissions or on a full disk is left alone: the
error is reported as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

# Errors that are about the environment, not the file's content.
_NOT_DAMAGE = (
    "lock",
    "permission denied",
    "no space left",
    "read-only file system",
    "different configuration",
    "too many open files",
)


def damage_of(path: Path) -> str | None:
    """Why DuckDB cannot use ``path`` as a database (its error), or None when it can
    (or when the file does not exist, or the failure is not damage to the file)."""
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        return None if _environmental(exc) else str(exc)
    try:
        # The catalog and the landing tables' metadata: a damaged block header or
        # catalog fails here rather than half-way through a step.
        con.execute(
            "select count(*) from information_schema.tables"
        ).fetchone()
        con.execute("select count(*) from duckdb_tables()").fetchone()
    except duckdb.Error as exc:
        return None if _environmental(exc) else str(exc)
    finally:
        con.close()
    return None


def move_aside_if_damaged(path: Path, now: dt.datetime | None = None) -> Path | None:
    """Move a damaged database (and its ``.wal``) aside; returns its new path, or None
    when the file is fine. The next connection creates an empty database, which the
    pipeline fills again from RAW_DIR."""
    reason = damage_of(path)
    if reason is None:
        return None
    stamp = (now or dt.datetime.now()).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, aside)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        os.replace(wal, aside.with_name(aside.name + ".wal"))
    log.error(
        "The working database %s cannot be opened (%s). It was moved aside to %s and "
        "everything is rebuilt from RAW_DIR in this run; the published warehouse stays "
        "as it is until the rebuild publishes.",
        path, reason, aside,
    )
    return aside


def _environmental(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in _NOT_DAMAGE)
