"""Whether a refresh run would change anything, decided before Dagster is loaded.

A ``refresh_job`` run with nothing new already does no work (every step finds
nothing pending and the dbt build and the publish are skipped), but starting it
costs more than the checks: loading the Dagster definitions and recording the
run, one planned event per asset and per dbt test (about 280 SQLite writes).
The CLI asks this module first and, like ``raw_dir_sensor``, starts no run when
every step would skip.

Each check is the one the step itself makes, read-only: the inventory's
comparison of file stats (:func:`..ingest.inventory.first_change`), the clean
step's pending files, the extract step's pending articles, the clustering's
inputs fingerprint, the actor-name digest and the dbt build's landing
fingerprint with the published copy (:func:`..build_state.up_to_date`). Any
doubt (no working database yet, a database another process holds, a damaged
one, a missing manifest, an error) answers "run": the run then does what it
always did. No Dagster import here.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from . import build_state, warehouse


def why_run(raw_dir: Path, work_db: Path, published: Path, dbt_dir: Path) -> str | None:
    """Why a refresh run is needed (the first reason found), or None when it would
    change nothing."""
    if not raw_dir.is_dir():
        return f"RAW_DIR {raw_dir} is not a folder"  # the run reports it as a failure
    if not work_db.exists():
        return "no working database yet"
    manifest = dbt_dir / "target" / "manifest.json"
    if not manifest.exists():
        return "no dbt manifest yet"
    try:
        con = duckdb.connect(str(work_db), read_only=True)
    except duckdb.Error as exc:  # held by a run, or damaged: the run deals with it
        return f"working database not readable now ({type(exc).__name__})"
    try:
        return _first_pending(con, raw_dir, published, dbt_dir, manifest)
    except (duckdb.Error, OSError, ValueError, KeyError, ImportError) as exc:
        return f"cannot tell ({type(exc).__name__}: {exc})"
    finally:
        con.close()


def _first_pending(con, raw_dir: Path, published: Path, dbt_dir: Path,
                   manifest: Path) -> str | None:
    from .clean.step import clean_code_version, code_versions, pending_files
    from .ingest.inventory import first_change

    changed = first_change(con, raw_dir)
    if changed:
        return f"{changed} is new, changed or deleted"
    if pending_files(con, version=clean_code_version(), codes=code_versions(),
                     forced=[], force_all=False):
        return "files to clean"
    if warehouse.articles_to_extract(con):
        return "articles to extract"
    if _clusters_stale(con):
        return "rewrite clusters to recompute"
    if _actor_names_stale(con):
        return "actor names to recompute"
    sources = build_state.sources_from_manifest(json.loads(manifest.read_text("utf-8")))
    fingerprint = build_state.landing_fingerprint(
        con, sources, build_state.dbt_project_version(dbt_dir))
    fresh, why = build_state.up_to_date(con, fingerprint, published)
    return None if fresh else why


def _clusters_stale(con) -> bool:
    from .dedup.step import inputs_fingerprint

    row = con.execute("select inputs_fingerprint from raw.cluster_state").fetchone()
    return row is None or row[0] != inputs_fingerprint(con)


def _actor_names_stale(con) -> bool:
    """The skip test of lib.extract.actor_names.refresh_actor_names, read-only."""
    code = warehouse.code_version("extract/actor_names.py")
    fingerprint, _ = build_state.actor_names_fingerprint(con, code)
    return build_state.stored(con, "actor_names") != fingerprint
