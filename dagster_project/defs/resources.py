"""Resources: the working DuckDB database, the dbt CLI, the compute cluster, and the
warehouse pool.

Every asset that writes the working database runs in :data:`WAREHOUSE_POOL`;
the instance (``.dagster_home/dagster.yaml``) limits it to one slot, matching
DuckDB's one-writer rule.
"""

import importlib.metadata
import os
import sys
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging import version

from dagster_project import recovery
from dagster_project.lib import parallel, settings

WAREHOUSE_POOL = "duckdb_warehouse"

# Every step of a run in one process, the run's (as the CLI's `execute_in_process`
# runs them): with Dagster's default, each step is a process of its own that imports
# Dagster, dbt and spaCy and loads the definitions again, and eight steps of 5-8 s
# made one new article into a 10,000-article warehouse a 59 s run instead of 13 s
# (`dagster job execute`, README Scale). The steps run one at a time anyway (the
# warehouse pool admits one writer) and the per-article work runs on the Dask
# cluster, not in the step's process. A killed run process is recovered by the
# next run (WarehouseResource).
RUN_EXECUTOR = dg.in_process_executor


class WarehouseResource(DuckDBResource):
    """The working DuckDB database, and the run's claim on it.

    When a run starts, in the process that executes all its steps, it recovers the
    runs whose process died (``recovery.recover_dead_runs``: marked failed, and the
    ``duckdb_warehouse`` slot they held freed; otherwise every later run would wait
    for that slot) and tags this run with its process, so that the next run can
    recover it in turn if this process is killed. ``make run`` does both itself
    before it starts a run (its runs come tagged); runs started by the sensor, the
    schedule or the UI (in a run worker the daemon or the webserver launched) get
    them here."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        super().setup_for_execution(context)
        instance, run = context.instance, context.dagster_run
        if instance is None or run is None or recovery.TAG_PID in run.tags:
            return
        for message in recovery.recover_dead_runs(instance).messages():
            context.log.warning(message)
        instance.add_run_tags(run.run_id, recovery.process_tags())


class ClusterResource(dg.ConfigurableResource):
    """Where the per-article work (cleaning, extraction) runs: a Dask scheduler's
    address (``CLUSTER_ADDRESS``, e.g. ``tcp://10.0.0.5:8786``), or empty for a local
    cluster with one worker per core (``CLUSTER_WORKERS`` to change), started by the
    run itself. Batches under ``min_batch`` articles (``CLUSTER_MIN_BATCH``) run
    in-process."""

    address: str = ""
    workers: int = 0
    min_batch: int = parallel.MIN_BATCH

    def engine(self) -> parallel.Engine:
        # Workers load the extraction's model and tables as they join, while the
        # clean step runs, rather than in their first extraction task.
        return parallel.Engine(
            address=self.address, workers=self.workers, min_batch=self.min_batch,
            warm_up=("dagster_project.lib.extract:warm_up",),
        )


def dbt_database_path() -> Path:
    """The DuckDB file dbt builds in: the pipeline's working database."""
    return settings.work_db_path()


def dbt_executable() -> str:
    """dbt from this environment even when it is not activated (`.venv/bin/python -m ...`)."""
    local = Path(sys.executable).with_name("dbt")
    return str(local) if local.exists() else "dbt"


class OfflineDbtCliResource(DbtCliResource):
    """dbt's CLI, without the network call dagster-dbt makes before every command.

    dagster-dbt learns dbt's version by running ``dbt --version``, and that command
    always asks the package index for the latest dbt-core and adapter versions
    (DNS + HTTPS, no flag turns it off). The installed dbt-core's version is the
    same answer without leaving the machine. (Anonymous usage statistics are off
    in ``dbt_project.yml`` and in the environment dagster-dbt gives dbt.)
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


@dg.definitions
def resources() -> dg.Definitions:
    # Resolved when the definitions load, so RAW_DIR/WAREHOUSE_DIR of the
    # process (make run, make ui, a test) decide where everything goes.
    work_db = dbt_database_path()
    work_db.parent.mkdir(parents=True, exist_ok=True)
    return dg.Definitions(
        # Also for what ops materialize from the UI's asset graph (the jobs set it too).
        executor=RUN_EXECUTOR,
        resources={
            "duckdb": WarehouseResource(database=str(work_db)),
            "cluster": ClusterResource(
                address=os.environ.get("CLUSTER_ADDRESS", ""),
                workers=int(os.environ.get("CLUSTER_WORKERS") or 0),
                min_batch=int(os.environ.get("CLUSTER_MIN_BATCH") or parallel.MIN_BATCH),
            ),
            "dbt": OfflineDbtCliResource(
                project_dir=str(settings.DBT_PROJECT_DIR),
                profiles_dir=str(settings.DBT_PROJECT_DIR),
                dbt_executable=dbt_executable(),
            ),
        }
    )
