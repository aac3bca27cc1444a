"""Whether the next dbt build may be incremental, and the command line for either.

The dbt project's incremental models (``dbt/macros/incremental.sql``) rebuild only
what the articles changed since the last build touch. That is right only when
the last build finished (its change log and its marts agree) and was made by
the same dbt project (a changed model or seed changes rows of unchanged
articles). Otherwise, and when ops force a rebuild (reprocessing, the daily
schedule), the build is ``dbt build --full-refresh``.

No Dagster import here: ``defs/dbt`` calls it.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from dagster_project.lib import build_state

# The build_state row holding the dbt project version of the last successful build.
PROJECT_STAGE = "dbt_project"


def full_refresh_reason(
    con: duckdb.DuckDBPyConnection, project_version: str, force: bool
) -> str | None:
    """Why the next build must rebuild every model, or None when it may be incremental.

    Call it before ``build_state.forget(con, "dbt")``: the 'dbt' record exists only
    when the last build (models and tests) succeeded."""
    if force:
        return "forced (reprocess or daily rebuild)"
    if build_state.stored(con, "dbt") is None:
        return "no successful build to continue from (first build, or the last one failed)"
    if build_state.stored(con, PROJECT_STAGE) != project_version:
        return "the dbt project changed since the last build"
    return None


def record_success(con: duckdb.DuckDBPyConnection, fingerprint: str, project_version: str) -> None:
    """After a successful build: what it was made from."""
    build_state.record(con, PROJECT_STAGE, project_version)
    build_state.record(con, "dbt", fingerprint)


def build_args(database: Path, full_refresh: bool) -> list[str]:
    """The dbt command of a build against ``database``: every model and data test.

    An incremental build leaves out the unit tests: they test the SQL on fixed
    inputs, so their result changes only with the dbt project, and a changed
    project always gets a full build, which runs them. (The seed stays: leaving
    it out would leave its asset unmaterialized, and the publish step, which
    depends on every dbt asset, would be skipped.)"""
    args = ["build", "--vars", json.dumps({"duckdb_path": str(database)})]
    if full_refresh:
        return [*args, "--full-refresh"]
    return [*args, "--exclude-resource-type", "unit_test"]


def target_path(database: Path, project_dir: Path) -> Path:
    """dbt's target folder for builds of the project at ``project_dir`` against
    ``database``, kept beside the database across runs.

    dbt re-parses the whole project (seconds of CPU) unless its partial-parse
    state was made with the same ``--vars`` and profile; the project's own
    ``dbt/target`` is parsed without the database path, so a fresh folder per
    build (dagster-dbt's default) re-parsed on every run, and left one folder
    per run in ``dbt/target``. One folder per working database keeps the state
    that matches its builds.

    dbt's partial-parse state holds the project's absolute paths and dbt does not
    check them: after the checkout moves (a new release folder, another clone
    pointed at the same warehouse), a build would read its seeds from the old
    folder and fail, or read stale files. So the folder records which project
    made its state, and a state made by another one is dropped (the next build
    parses the project in full)."""
    target = database.parent / "dbt_target"
    marker = target / "project_dir.txt"
    here = str(Path(project_dir).resolve())
    if not marker.exists() or marker.read_text() != here:
        (target / "partial_parse.msgpack").unlink(missing_ok=True)
        target.mkdir(parents=True, exist_ok=True)
        marker.write_text(here)
    return target
