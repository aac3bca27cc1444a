"""Bring ``raw.files`` in line with what is in RAW_DIR now, from file stats alone.

The inventory reads no file: a new file is recorded ``pending``, a file whose
size or mtime moved is flagged for the clean step, which reads it once, hashes
it once and decides (unchanged, changed, bad input). A deleted file is marked
``removed``. So a run reads, hashes and decodes each new or edited file once.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .. import warehouse
from .files import scan_raw_dir
from .guard import check_removals


def _known(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """source_path -> (size_bytes, mtime_ns, status, article_id) of every file in raw.files."""
    return {
        row[0]: row[1:]
        for row in con.execute(
            "select source_path, size_bytes, mtime_ns, status, article_id from raw.files"
        ).fetchall()
    }


def _change(f, prev: tuple | None) -> str | None:
    """What the inventory records for the entry ``f`` whose row is ``prev``: 'unreadable'
    (a problem entry, new or moved), 'seen' (new, or back after removal), 'stat_changed'
    (size or mtime moved), or None (unchanged)."""
    if f.problem:
        if prev is None or prev[2] != "quarantined" or prev[:2] != (f.size_bytes, f.mtime_ns):
            return "unreadable"
        return None
    if prev is None or prev[2] == "removed":
        return "seen"
    if prev[0] != f.size_bytes or prev[1] != f.mtime_ns:
        return "stat_changed"
    return None


def first_change(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> str | None:
    """The first entry :func:`sync_inventory` would record (new, changed, deleted), or None
    when the inventory is current. Reads only, file stats only, and stops at the first."""
    known = _known(con)
    seen: set[str] = set()
    for f in scan_raw_dir(raw_dir):
        seen.add(f.source_path)
        if _change(f, known.get(f.source_path)):
            return f.source_path
    return next((p for p, row in known.items() if row[2] != "removed" and p not in seen), None)


def sync_inventory(
    con: duckdb.DuckDBPyConnection, raw_dir: Path, *, allow_mass_removal: bool = False
) -> warehouse.StepStats:
    """Record new, changed and deleted files; ``new_or_changed`` lists what the clean
    step will read (new files and files whose stat moved). Refuses, changing
    nothing, to mark most live files removed at once (:mod:`.guard`) unless
    ``allow_mass_removal``."""
    warehouse.ensure_schema(con)
    stats = warehouse.StepStats()
    known = _known(con)
    seen: set[str] = set()
    now = warehouse.utcnow()
    new_files: list[tuple[str, str, int, int]] = []
    moved: list[tuple[str, int, int]] = []
    con.begin()
    try:
        for f in scan_raw_dir(raw_dir):
            seen.add(f.source_path)
            change = _change(f, known.get(f.source_path))
            if change is None:
                stats.skipped += 1
                continue
            if change == "unreadable":  # never read: a row with the reason (lib.ingest.safety)
                warehouse.mark_unreadable(
                    con, source_path=f.source_path, article_id=f.article_id,
                    size_bytes=f.size_bytes, mtime_ns=f.mtime_ns, reason=f.problem,
                    now=now,
                )
                stats.quarantined.append((f.source_path, f.problem))
                continue
            if change == "seen":
                new_files.append((f.source_path, f.article_id, f.size_bytes, f.mtime_ns))
            else:
                moved.append((f.source_path, f.size_bytes, f.mtime_ns))
            stats.new_or_changed.append(f.source_path)
        warehouse.mark_seen(con, new_files, now)
        warehouse.mark_stat_changed(con, moved)
        live = [p for p, row in known.items() if row[2] != "removed"]
        check_removals(raw_dir, len(live), sum(p not in seen for p in live),
                       allow_mass_removal)
        con.commit()
    except BaseException:
        warehouse.rollback(con)
        raise
    for source_path, (_, _, status, article_id) in known.items():
        if source_path not in seen and status != "removed":
            warehouse.mark_removed(con, source_path=source_path, article_id=article_id, now=now)
            stats.removed.append(source_path)
    return stats
