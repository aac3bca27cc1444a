"""The instance's event log storage (``dagster_project/instance_storage.py``): Dagster's
SQLite event log with its connections kept, which must behave like Dagster's own for
every reader and writer of the same DAGSTER_HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.instance_storage import PooledSqliteEventLogStorage
from tests.conftest import PROJECT_ROOT


@dg.asset
def probe() -> int:
    return 1


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def _materializations(instance: dg.DagsterInstance, key: str) -> list:
    return instance.fetch_materializations(dg.AssetKey(key), limit=100).records


def _run_events(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [e.dagster_event.event_type_value for e in instance.all_logs(run_id)
            if e.dagster_event is not None]


def test_project_instance_uses_it_where_dagster_keeps_its_event_logs(home):
    with dg.DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        # Dagster's default place, so an instance that had no storage settings keeps
        # its history.
        assert Path(storage._base_dir) == home / "history" / "runs"
        result = dg.materialize([probe], instance=instance)
        assert result.success
        assert "STEP_SUCCESS" in _run_events(instance, result.run_id)
        assert len(_materializations(instance, "probe")) == 1
    assert (home / "history" / "runs" / f"{result.run_id}.db").exists()


def test_writes_are_seen_by_another_process_while_connections_are_kept(home):
    """A run in this process keeps its connections; another process writes to the same
    index and reads this process's events in between, and this process reads its."""
    other = textwrap.dedent("""
        import dagster as dg
        with dg.DagsterInstance.get() as instance:
            assert len(instance.fetch_materializations(dg.AssetKey("probe"), limit=10).records) == 1
            instance.report_runless_asset_event(dg.AssetMaterialization("from_other_process"))
    """)
    with dg.DagsterInstance.get() as instance:
        assert dg.materialize([probe], instance=instance).success
        # The connections of this instance stay open: the other process must still be
        # able to write (an open transaction or lock here would make it time out).
        subprocess.run([sys.executable, "-c", other], check=True, timeout=120,
                       env=dict(os.environ))
        assert len(_materializations(instance, "from_other_process")) == 1
        assert dg.materialize([probe], instance=instance).success
        assert len(_materializations(instance, "probe")) == 2


def test_a_deleted_run_database_is_made_again_not_written_to_the_deleted_file(home):
    with dg.DagsterInstance.get() as instance:
        run_id = dg.materialize([probe], instance=instance).run_id
        shard = home / "history" / "runs" / f"{run_id}.db"
        # Another process removes the run's database (as `dagster run wipe` would).
        for suffix in ("", "-wal", "-shm"):
            Path(f"{shard}{suffix}").unlink(missing_ok=True)
        instance.report_engine_event("after the removal", instance.get_run_by_id(run_id))
    assert shard.exists()
    with dg.DagsterInstance.get() as fresh:
        assert [e.message for e in fresh.all_logs(run_id)] == ["after the removal"]


def test_wipe_then_write(home):
    with dg.DagsterInstance.get() as instance:
        first = dg.materialize([probe], instance=instance).run_id
        instance.wipe()
        assert instance.all_logs(first) == []
        second = dg.materialize([probe], instance=instance).run_id
        assert "STEP_SUCCESS" in _run_events(instance, second)
    with dg.DagsterInstance.get() as fresh:
        assert "STEP_SUCCESS" in _run_events(fresh, second)


def test_needs_a_place(monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    with pytest.raises(ValueError, match="DAGSTER_HOME"):
        PooledSqliteEventLogStorage.from_config_value(None, {})
