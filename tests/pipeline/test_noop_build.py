"""A run with nothing new builds and publishes nothing; any change still does both."""

from __future__ import annotations

import os

import dagster as dg
import pytest

from dagster_project.lib import settings
from tests.pipeline.helpers import Workspace

DBT_TARGET = settings.DBT_PROJECT_DIR / "target"

SAMPLE = "002_1adc10c9f5ff94ad.txt"


def published_identity(ws: Workspace) -> tuple:
    """Inode and mtime of the published file and of one Parquet export: a publish
    replaces both (atomic renames), so any publish changes this."""
    db = os.stat(ws.published)
    parquet = os.stat(ws.warehouse_dir / "parquet" / "marts" / "fct_claims.parquet")
    return (db.st_ino, db.st_mtime_ns, parquet.st_ino, parquet.st_mtime_ns)


def dbt_activity(result: dg.ExecuteInProcessResult) -> tuple[int, int]:
    """(dbt model materializations, dbt asset check evaluations) of a run."""
    materialized = len(result.asset_materializations_for_node("dbt_models"))
    checks = [
        e for e in result.all_events
        if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        and e.step_key == "dbt_models"
    ]
    return materialized, len(checks)


def step_skipped(result: dg.ExecuteInProcessResult, step_key: str) -> bool:
    return any(
        e.event_type == dg.DagsterEventType.STEP_SKIPPED and e.step_key == step_key
        for e in result.all_events
    )


def test_run_with_nothing_new_does_no_dbt_build_and_no_publish(built: Workspace, tmp_path):
    ws = built.clone(tmp_path)
    before = published_identity(ws)
    snapshot = ws.snapshot()
    result = ws.run()
    assert result.success
    assert dbt_activity(result) == (0, 0)
    assert step_skipped(result, "warehouse__published")
    assert step_skipped(result, "warehouse__published_analysts_contract")
    assert published_identity(ws) == before
    assert ws.snapshot() == snapshot


def _new_article(ws: Workspace) -> None:
    text = (ws.raw_dir / SAMPLE).read_text(encoding="utf-8")
    (ws.raw_dir / "new_article.txt").write_text(
        text.replace("Russia", "Kazakhstan"), encoding="utf-8"
    )


def _edit_article(ws: Workspace) -> None:
    path = ws.raw_dir / SAMPLE
    path.write_text(path.read_text(encoding="utf-8").replace("Iran", "Persia", 1),
                    encoding="utf-8")


def _delete_article(ws: Workspace) -> None:
    (ws.raw_dir / SAMPLE).unlink()


CHANGES = {
    "new article": (_new_article, "refresh_job", None),
    "edited article": (_edit_article, "refresh_job", None),
    "deleted article": (_delete_article, "refresh_job", None),
    "reprocess": (lambda ws: None, "reprocess_job", {"paths": [SAMPLE]}),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_rebuilds_and_republishes(built: Workspace, tmp_path, change):
    ws = built.clone(tmp_path)
    before = published_identity(ws)
    apply, job, config = CHANGES[change]
    apply(ws)
    dbt_folders = set(DBT_TARGET.glob("dbt_models-*"))
    result = ws.run(job, run_config=config)
    assert result.success
    # dbt's target (with its partial-parse state) is kept beside the working database,
    # not a new folder per build in the project.
    assert (ws.warehouse_dir / ".work" / "dbt_target" / "partial_parse.msgpack").exists()
    assert set(DBT_TARGET.glob("dbt_models-*")) == dbt_folders
    materialized, checks = dbt_activity(result)
    assert materialized > 0 and checks > 0, f"{change}: dbt did not build"
    assert not step_skipped(result, "warehouse__published")
    assert result.asset_materializations_for_node("warehouse__published")
    assert published_identity(ws) != before
    # The build after the change is recorded: the next run is a no-op again.
    again = ws.run()
    assert again.success and dbt_activity(again) == (0, 0)
