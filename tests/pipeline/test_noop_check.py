"""The CLI's no-op check (lib/noop.py) on a real built warehouse: nothing pending after
a run, and each kind of pending work a step would find makes it say why."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib import noop, settings
from tests.pipeline.helpers import Workspace

SAMPLE = "002_1adc10c9f5ff94ad.txt"


def clone(ws: Workspace, dest: Path) -> Workspace:
    """A copy that keeps the published link and every file's stats (copy2)."""
    shutil.copytree(ws.raw_dir, dest / "raw", symlinks=True)
    shutil.copytree(ws.warehouse_dir, dest / "warehouse", symlinks=True)
    return Workspace(dest / "raw", dest / "warehouse")


def why(ws: Workspace) -> str | None:
    return noop.why_run(ws.raw_dir, ws.warehouse_dir / ".work" / "pipeline.duckdb",
                        ws.published, settings.DBT_PROJECT_DIR)


def write(ws: Workspace, sql: str, params=None) -> None:
    con = duckdb.connect(str(ws.warehouse_dir / ".work" / "pipeline.duckdb"))
    try:
        con.execute(sql, params or [])
    finally:
        con.close()


def _touch(ws):
    path = ws.raw_dir / SAMPLE
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


CHANGES = {
    "new file": (lambda ws: (ws.raw_dir / "new.txt").write_text("News.", encoding="utf-8"),
                 "new.txt is new, changed or deleted"),
    "touched file": (_touch, f"{SAMPLE} is new, changed or deleted"),
    "deleted file": (lambda ws: (ws.raw_dir / SAMPLE).unlink(), f"{SAMPLE} is new"),
    "cleaned by older code": (
        lambda ws: write(ws, "update raw.files set cleaned_key = 'x' where source_path = ?",
                         [SAMPLE]), "files to clean"),
    "extracted by older code": (
        lambda ws: write(ws, "update raw.articles set extracted_key = 'x' where source_path = ?",
                         [SAMPLE]), "articles to extract"),
    "clusters stale": (lambda ws: write(ws, "update raw.cluster_state set inputs_fingerprint = 'x'"),
                       "rewrite clusters"),
    "actor names stale": (
        lambda ws: write(ws, "update raw.build_state set fingerprint = 'x' "
                             "where stage = 'actor_names'"), "actor names"),
    "landing row changed": (
        lambda ws: write(ws, "update raw.removed_blocks set text = text || ' ' "
                             "where block_index = 0"), "landing data or dbt project changed"),
    "last build failed": (lambda ws: write(ws, "delete from raw.build_state where stage = 'dbt'"),
                          "no build yet"),
    "published copy gone": (lambda ws: ws.published.unlink(), "is missing"),
    "no working database": (
        lambda ws: (ws.warehouse_dir / ".work" / "pipeline.duckdb").unlink(),
        "no working database yet"),
}


def test_nothing_pending_after_a_run(built: Workspace, tmp_path):
    ws = clone(built, tmp_path)
    assert why(ws) is None
    (ws.raw_dir / ".editor.swp").write_text("hidden files are ignored", encoding="utf-8")
    assert why(ws) is None


@pytest.mark.parametrize("change", CHANGES)
def test_each_pending_step_says_why(built: Workspace, tmp_path, change):
    ws = clone(built, tmp_path)
    apply, reason = CHANGES[change]
    apply(ws)
    found = why(ws)
    assert found is not None and reason in found, found


def test_a_database_held_by_a_writer_means_run(built: Workspace, tmp_path):
    ws = clone(built, tmp_path)
    writer = duckdb.connect(str(ws.warehouse_dir / ".work" / "pipeline.duckdb"))
    try:
        assert "not readable now" in why(ws)
    finally:
        writer.close()


def test_an_unfinished_run_of_the_instance_means_run(built: Workspace, tmp_path):
    """The working database belongs to that run (the pool's one slot): the CLI starts
    a run, which waits for the slot, instead of reading the database under it."""
    import dagster as dg
    from dagster._core.storage.dagster_run import DagsterRun

    from dagster_project import cli
    from tests.pipeline.helpers import pipeline_env

    ws = clone(built, tmp_path)
    with pipeline_env(ws.raw_dir, ws.warehouse_dir), dg.DagsterInstance.ephemeral() as instance:
        assert cli._why_run(instance) is None
        instance.add_run(DagsterRun(job_name="refresh_job", status=dg.DagsterRunStatus.STARTED))
        assert cli._why_run(instance) == "another run is in progress"
