"""How the dbt project is wired into Dagster (defs/dbt)."""

import json
import subprocess
import sys
from pathlib import Path

from dagster_project.lib.dbt_incremental import build_args


def test_dbt_build_args_pass_the_database_as_a_dbt_var():
    args = build_args(Path("/data/wh/.work/pipeline.duckdb"), full_refresh=False)
    assert args[0] == "build"
    assert json.loads(args[args.index("--vars") + 1]) == {
        "duckdb_path": "/data/wh/.work/pipeline.duckdb"
    }


def test_importing_the_dbt_defs_does_no_work():
    """No manifest preparation and no environment change at import time: the
    project is prepared when the definitions are first built."""
    code = (
        "import os\n"
        "before = dict(os.environ)\n"
        "from dagster_project.defs.dbt import assets\n"
        "assert assets.dbt_project.cache_info().currsize == 0\n"
        "assert assets.dbt_models_asset.cache_info().currsize == 0\n"
        "assert dict(os.environ) == before\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_a_selection_of_dbt_models_builds_only_those(built, tmp_path):
    """A run of the whole job builds dbt in-process (lib/dbt_runner); a selection in the
    UI goes through dagster-dbt's CLI invocation, which turns it into dbt's --select.
    Only what was selected is materialized."""
    import dagster as dg

    from dagster_project.definitions import load_definitions
    from tests.pipeline.helpers import pipeline_env

    ws = built.clone(tmp_path)
    dim_articles = dg.AssetKey(["marts", "dim_articles"])
    with pipeline_env(ws.raw_dir, ws.warehouse_dir):
        job = load_definitions().resolve_implicit_global_asset_job_def()
        with dg.DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(
                instance=instance,
                asset_selection=[dim_articles],
                run_config={"ops": {"dbt_models": {"config": {"force": True}}}},
                raise_on_error=False,
            )
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == {dim_articles}
    # The other models did not see this build: no record of a whole build, so the
    # next build is a full refresh.
    import duckdb

    from dagster_project.lib import build_state

    con = duckdb.connect(str(ws.warehouse_dir / ".work" / "pipeline.duckdb"), read_only=True)
    try:
        assert build_state.stored(con, "dbt") is None
    finally:
        con.close()


def test_a_failing_dbt_build_fails_the_run_with_what_failed_and_keeps_the_marts(built, tmp_path):
    """A landing row the mart's contract rejects (a removed-block reason off the list)
    fails the in-process build: the run fails, its one-line failure names the model,
    the published marts stay the last good ones, and the next build is a full refresh."""
    import duckdb

    from dagster_project.cli import failure_lines
    from dagster_project.lib import build_state

    ws = built.clone(tmp_path)
    before = ws.snapshot()
    work = ws.warehouse_dir / ".work" / "pipeline.duckdb"
    con = duckdb.connect(str(work))
    con.execute("update raw.removed_blocks set reason = 'sidebar' where block_index = 0")
    con.close()

    result = ws.run(run_config={"ops": {"dbt_models": {"config": {"force": True}}}})
    assert not result.success
    lines = failure_lines(result.all_events)
    assert len(lines) == 1
    assert lines[0].startswith("FAILED: dbt_models: ")
    assert "dbt build failed: Failure in model removed_blocks" in lines[0]
    assert ws.snapshot() == before  # nothing published from the failed build
    con = duckdb.connect(str(work), read_only=True)  # and dbt let go of the file
    try:
        assert build_state.stored(con, "dbt") is None
    finally:
        con.close()
