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
