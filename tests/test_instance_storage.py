"""The instance's event log (``dagster_project/instance_storage.py``): Dagster's SQLite
event log with its connections kept, which must behave like Dagster's own for every
reader and writer of the same DAGSTER_HOME."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from dagster_project import instance_storage


@dg.asset
def probe() -> int:
    return 1


@pytest.fixture
def home(tmp_path) -> Path:
    instance_storage.keep_connections()  # what loading the definitions does
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return home


def _instance(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(home))


def _materializations(instance: dg.DagsterInstance, key: str) -> list:
    return instance.fetch_materializations(dg.AssetKey(key), limit=100).records


def _run_events(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [e.dagster_event.event_type_value for e in instance.all_logs(run_id)
            if e.dagster_event is not None]


def test_loading_the_definitions_keeps_the_connections():
    subprocess.run([sys.executable, "-c", textwrap.dedent("""
        from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
            SqliteEventLogStorage)
        import dagster_project.definitions
        from dagster_project import instance_storage
        assert SqliteEventLogStorage._connect is instance_storage._connect
    """)], check=True, timeout=300)


def test_runs_and_their_events_are_stored_where_dagster_keeps_them(home):
    with _instance(home) as instance:
        assert isinstance(instance.event_log_storage, SqliteEventLogStorage)
        result = dg.materialize([probe], instance=instance)
        assert result.success
        assert "STEP_SUCCESS" in _run_events(instance, result.run_id)
        assert len(_materializations(instance, "probe")) == 1
        # The connections are kept: one engine for the run's database, one for the index.
        assert {shard for _, shard in instance_storage._kept(instance.event_log_storage)} == {
            result.run_id, "index"}
    assert (home / "history" / "runs" / f"{result.run_id}.db").exists()
    with _instance(home) as fresh:
        assert "STEP_SUCCESS" in _run_events(fresh, result.run_id)


def test_writes_are_seen_by_another_process_while_connections_are_kept(home):
    """This process keeps its connections; another process writes to the same index
    and reads this process's events in between, and this process reads its."""
    other = textwrap.dedent(f"""
        import dagster as dg
        with dg.DagsterInstance.from_config({str(home)!r}) as instance:
            assert len(instance.fetch_materializations(dg.AssetKey("probe"), limit=10).records) == 1
            instance.report_runless_asset_event(dg.AssetMaterialization("from_other_process"))
    """)
    with _instance(home) as instance:
        assert dg.materialize([probe], instance=instance).success
        # An open transaction or lock here would make the other process time out.
        subprocess.run([sys.executable, "-c", other], check=True, timeout=120)
        assert len(_materializations(instance, "from_other_process")) == 1
        assert dg.materialize([probe], instance=instance).success
        assert len(_materializations(instance, "probe")) == 2


def test_a_deleted_run_database_is_made_again_not_written_to_the_deleted_file(home):
    with _instance(home) as instance:
        run_id = dg.materialize([probe], instance=instance).run_id
        shard = home / "history" / "runs" / f"{run_id}.db"
        # Another process removes the run's database (as `dagster run wipe` would).
        for suffix in ("", "-wal", "-shm"):
            Path(f"{shard}{suffix}").unlink(missing_ok=True)
        instance.report_engine_event("after the removal", instance.get_run_by_id(run_id))
    assert shard.exists()
    with _instance(home) as fresh:
        assert [e.message for e in fresh.all_logs(run_id)] == ["after the removal"]


def test_wipe_then_write(home):
    with _instance(home) as instance:
        first = dg.materialize([probe], instance=instance).run_id
        instance.wipe()
        assert instance.all_logs(first) == []
        second = dg.materialize([probe], instance=instance).run_id
        assert "STEP_SUCCESS" in _run_events(instance, second)
    with _instance(home) as fresh:
        assert "STEP_SUCCESS" in _run_events(fresh, second)
