"""Publish the working database for analysts: a read-only versioned copy behind a
stable name, plus Parquet exports.

DuckDB allows one writing process per file, and a read-only reader blocks a
writer. So the pipeline never writes the file analysts open: it builds in its
private working database, then copies it to a new file under ``versions/``,
makes that file read-only on disk (0444), checks the analysts' contract on it,
and points the stable name ``warehouse.duckdb`` at it by swapping a symbolic
link (``rename`` is atomic on POSIX). A reader that has the old version open
keeps reading it; the next connection sees the new one.

Why a versioned read-only file: an analyst who opens the warehouse read-write
would otherwise write into the published file. A read-only file cannot be
opened read-write by a normal user. Whatever gets through (a root session)
writes into *that version* and its own WAL (DuckDB keeps the WAL beside the file
the link points at), never into the next version: the next publish makes a new
file, and old versions are deleted with their WAL files. A stale WAL can
therefore never be replayed into a newer copy, and a read-write session never
makes publishing fail.

Temporary files of a publish that fails (a full disk) are removed at once, and
leftovers of a killed publish are removed by the next one.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

VERSIONS_DIR = "versions"
# Versions kept besides the current one, so a session that resolved the link just
# before a swap still finds its file.
KEEP_PREVIOUS = 1
READ_ONLY_MODE = 0o444

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
    """Publish ``work_db`` as a new read-only version behind ``target`` and export the
    marts as Parquet. Returns the row count of every published mart table.

    Raises (and publishes nothing) when the copy misses a column of the analysts'
    contract, or when the disk is full; temporary files are removed either way.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    versions = target.parent / VERSIONS_DIR
    versions.mkdir(exist_ok=True)
    # The open connection holds the working database's lock for the whole publish,
    # so no other pipeline process publishes at the same time: leftovers of an
    # earlier publish (a killed run) can be removed safely.
    con = duckdb.connect(str(work_db))
    try:
        remove_leftovers(target, parquet_dir)
        tmp_parquet = parquet_dir.with_name(f".{parquet_dir.name}.tmp-{os.getpid()}")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        version = versions / f"{target.stem}-{stamp}{target.suffix}"
        tmp_db = versions / f".{version.name}.tmp"
        try:
            # After the checkpoint nothing writes to the file while this connection
            # only reads it, so the copy (a plain file copy, mostly waiting on the
            # disk) runs beside the Parquet export (DuckDB's work) instead of after
            # it: 0.7 s of the 2.7 s the two took one after the other at 10,000
            # articles. Leaving the pool waits for the copy, also when the export
            # failed, so a failed publish removes a finished file.
            con.execute("checkpoint")
            with concurrent.futures.ThreadPoolExecutor(1, "publish-copy") as pool:
                copying = pool.submit(_copy_durably, work_db, tmp_db)
                counts = _export_parquet(con, tmp_parquet)
            copying.result()
            os.chmod(tmp_db, READ_ONLY_MODE)
            _check_contract(tmp_db)
            os.replace(tmp_db, version)
            _point_link(target, version)
            # The WAL of a published file that was a plain file before versions
            # existed: nothing may ever replay it.
            _remove(target.with_name(target.name + ".wal"))
        except BaseException:
            _remove(tmp_db)
            shutil.rmtree(tmp_parquet, ignore_errors=True)
            raise
    finally:
        con.close()

    # Two renames: readers of the Parquet folder see either the old or the new
    # set except for a moment between them.
    old = parquet_dir.with_name(f".{parquet_dir.name}.old-{os.getpid()}")
    if parquet_dir.exists():
        os.replace(parquet_dir, old)
    os.replace(tmp_parquet, parquet_dir)
    shutil.rmtree(old, ignore_errors=True)
    prune_versions(target)
    return counts


def _copy_durably(source: Path, dest: Path) -> None:
    """Copy ``source`` to ``dest`` and make the copy durable (fsync)."""
    shutil.copyfile(source, dest)
    with open(dest, "rb+") as fh:
        os.fsync(fh.fileno())


def current_version(target: Path) -> Path | None:
    """The versioned file ``target`` points at (None before the first publish)."""
    if target.is_symlink():
        return (target.parent / os.readlink(target)).resolve()
    return target if target.exists() else None


def prune_versions(target: Path, keep_previous: int = KEEP_PREVIOUS) -> list[Path]:
    """Delete all but the current and the ``keep_previous`` newest older versions, and
    the WAL of every version but the current one.

    A WAL beside a version is what a read-write session left in it: publishing
    never writes a published file. A session that still has a deleted file open
    keeps reading it (POSIX)."""
    versions = target.parent / VERSIONS_DIR
    current = current_version(target)
    files = sorted(
        (p for p in versions.glob(f"{target.stem}-*{target.suffix}") if p != current),
        key=lambda p: p.name, reverse=True,
    )
    doomed = [*files[keep_previous:]]
    doomed += [w for w in versions.glob(f"{target.stem}-*{target.suffix}.wal")
               if current is None or w.name != current.name + ".wal"]
    return [p for p in doomed if _remove(p)]


def remove_leftovers(target: Path, parquet_dir: Path) -> None:
    """Temporary files of publishes that did not finish (a killed run)."""
    versions = target.parent / VERSIONS_DIR
    for path in [
        *versions.glob(".*.tmp"),
        *target.parent.glob(f".{target.name}.tmp-*"),
        *target.parent.glob(f".{target.name}.link-*"),
    ]:
        _remove(path)
    for path in [
        *parquet_dir.parent.glob(f".{parquet_dir.name}.tmp-*"),
        *parquet_dir.parent.glob(f".{parquet_dir.name}.old-*"),
    ]:
        shutil.rmtree(path, ignore_errors=True)


class ContractError(RuntimeError):
    """The copy to publish misses columns of the analysts' contract."""


def _export_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    shutil.rmtree(out_dir, ignore_errors=True)
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' "
        "order by 1, 2",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    counts: dict[str, int] = {}
    for schema, table in tables:
        out = out_dir / schema / f"{table}.parquet"
        out.parent.mkdir(parents=True, exist_ok=True)
        # Identifiers come from the catalog and the path from our settings,
        # never from article text; COPY takes no bound parameters.
        con.execute(f'copy "{schema}"."{table}" to {_sql_string(str(out))} (format parquet)')
        counts[f"{schema}.{table}"] = con.execute(
            f'select count(*) from "{schema}"."{table}"'
        ).fetchone()[0]
    return counts


def _check_contract(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        missing = missing_contract_columns(con)
    finally:
        con.close()
    if missing:
        raise ContractError(f"not published: the marts miss contract columns {missing}")


def _point_link(target: Path, version: Path) -> None:
    """Swap ``target`` to a relative link to ``version`` in one rename."""
    link = target.with_name(f".{target.name}.link-{os.getpid()}")
    _remove(link)
    os.symlink(os.path.relpath(version, target.parent), link)
    try:
        os.replace(link, target)
    except BaseException:
        _remove(link)
        raise


def _remove(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


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
