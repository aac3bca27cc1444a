"""A run started by the sensor, the schedule or the UI executes in a run worker that
the daemon or the webserver launched, not in ``make run``'s process. When such a
worker is killed, its run must not keep the warehouse pool slot: the next run,
whoever starts it, recovers it (the warehouse resource, ``defs/resources.py``)."""

from __future__ import annotations

import os
import subprocess
import uuid

import dagster as dg

from dagster_project import recovery
from dagster_project.defs.resources import WAREHOUSE_POOL, WarehouseResource


@dg.asset
def touches_the_warehouse(duckdb: WarehouseResource) -> None:
    with duckdb.get_connection() as con:
        con.execute("create table if not exists probe as select 1 as x")


def _dead_process_tags() -> dict[str, str]:
    proc = subprocess.Popen(["sleep", "60"])
    tags = recovery.process_tags(proc.pid)
    proc.kill()
    proc.wait()
    return tags


def test_the_next_run_recovers_a_killed_run_worker_and_tags_its_own(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "concurrency:\n  pools:\n    default_limit: 1\ntelemetry:\n  enabled: false\n")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        # The state a killed run worker leaves: its run STARTED, holding the slot.
        dead = dg.DagsterRun(job_name="refresh_job", run_id=str(uuid.uuid4()),
                             status=dg.DagsterRunStatus.STARTED, tags=_dead_process_tags())
        instance.add_run(dead)
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WAREHOUSE_POOL, 1)
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, dead.run_id, "clusters").is_claimed

        result = dg.materialize(
            [touches_the_warehouse], instance=instance,
            resources={"duckdb": WarehouseResource(database=str(tmp_path / "w.duckdb"))},
        )

        assert result.success
        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert not storage.get_concurrency_info(WAREHOUSE_POOL).claimed_slots
        # This run names its process, so the run after it can judge it the same way.
        tags = instance.get_run_by_id(result.run_id).tags
        assert tags[recovery.TAG_PID] == str(os.getpid())
