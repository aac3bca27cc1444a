"""When the pipeline's dbt build may be incremental (lib/dbt_incremental.py), on a real DuckDB file."""

import json
from pathlib import Path

import duckdb

from dagster_project.lib import build_state, dbt_incremental


def test_full_refresh_until_a_build_succeeds_then_incremental_until_the_project_changes(tmp_path):
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    assert dbt_incremental.full_refresh_reason(con, "v1", force=False)  # first build

    dbt_incremental.record_success(con, "fingerprint-1", "v1")
    assert dbt_incremental.full_refresh_reason(con, "v1", force=False) is None
    assert "forced" in dbt_incremental.full_refresh_reason(con, "v1", force=True)
    assert "project changed" in dbt_incremental.full_refresh_reason(con, "v2", force=False)

    # A build starts (the asset forgets the record) and fails: the next is full.
    build_state.forget(con, "dbt")
    assert "last one failed" in dbt_incremental.full_refresh_reason(con, "v1", force=False)


def test_build_args_full_refresh_or_incremental_without_unit_tests():
    db = Path("/data/wh/.work/pipeline.duckdb")
    full = dbt_incremental.build_args(db, full_refresh=True)
    incremental = dbt_incremental.build_args(db, full_refresh=False)
    for args in (full, incremental):
        assert args[0] == "build"
        assert json.loads(args[args.index("--vars") + 1]) == {"duckdb_path": str(db)}
    assert "--full-refresh" in full and "unit_test" not in full
    assert "--full-refresh" not in incremental
    assert incremental[incremental.index("--exclude-resource-type") + 1:] == ["unit_test"]


def test_dbt_target_folder_is_kept_beside_the_working_database(tmp_path):
    db = tmp_path / "wh" / ".work" / "pipeline.duckdb"
    target = dbt_incremental.target_path(db, tmp_path / "project")
    assert target == tmp_path / "wh" / ".work" / "dbt_target"
    assert target.is_dir()


def test_partial_parse_state_of_another_checkout_is_dropped(tmp_path):
    # dbt's partial-parse state keeps absolute paths (a seed's CSV): a build from a
    # moved checkout read the old folder's seed and failed.
    db = tmp_path / "wh" / ".work" / "pipeline.duckdb"
    first, moved = tmp_path / "release-1" / "dbt", tmp_path / "release-2" / "dbt"
    target = dbt_incremental.target_path(db, first)
    state = target / "partial_parse.msgpack"
    state.write_bytes(b"state of release-1")
    assert dbt_incremental.target_path(db, first) == target
    assert state.read_bytes() == b"state of release-1"  # same project: kept
    dbt_incremental.target_path(db, moved)
    assert not state.exists()  # another project: dropped, dbt parses in full
    state.write_bytes(b"state of release-2")
    dbt_incremental.target_path(db, moved)
    assert state.read_bytes() == b"state of release-2"
