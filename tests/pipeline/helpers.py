"""Run the real Dagster definitions against a temporary RAW_DIR and WAREHOUSE_DIR."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

MART_TABLES = (
    "dim_articles", "removed_blocks", "dim_actors", "fct_claims", "fct_figures",
    "fct_figure_mentions", "fct_events", "fct_event_mentions",
)


def query_read_only(database: Path, sql: str, params=None) -> list[tuple]:
    """Rows of ``sql`` from a read-only session on ``database``, as an analyst opens it."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@contextmanager
def pipeline_env(raw_dir: Path, warehouse_dir: Path):
    old = {k: os.environ.get(k) for k in ("RAW_DIR", "WAREHOUSE_DIR", "DAGSTER_HOME")}
    os.environ["RAW_DIR"] = str(raw_dir)
    os.environ["WAREHOUSE_DIR"] = str(warehouse_dir)
    os.environ.pop("DAGSTER_HOME", None)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass
class Workspace:
    raw_dir: Path
    warehouse_dir: Path

    @property
    def published(self) -> Path:
        return self.warehouse_dir / "warehouse.duckdb"

    def run(self, job_name: str = "refresh_job", run_config=None) -> dg.ExecuteInProcessResult:
        from dagster_project.definitions import load_definitions

        with pipeline_env(self.raw_dir, self.warehouse_dir):
            defs = load_definitions()
            job = defs.resolve_job_def(job_name)
            with dg.DagsterInstance.ephemeral() as instance:
                return job.execute_in_process(
                    instance=instance, run_config=run_config, raise_on_error=False
                )

    def query(self, sql: str, params=None) -> list[tuple]:
        return query_read_only(self.published, sql, params)

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every mart row, order-independent, for before/after comparisons."""
        return {t: sorted(map(repr, self.query(f"select * from marts.{t}"))) for t in MART_TABLES}

    def clone(self, dest: Path) -> Workspace:
        """A copy of this workspace (raw files and warehouse state) to mutate."""
        shutil.copytree(self.raw_dir, dest / "raw")
        shutil.copytree(self.warehouse_dir, dest / "warehouse")
        return Workspace(dest / "raw", dest / "warehouse")


def step_metadata(result: dg.ExecuteInProcessResult, node: str, key: str):
    for mat in result.asset_materializations_for_node(node):
        if key in mat.metadata:
            return mat.metadata[key].value
    raise KeyError(f"{node} reported no {key!r}")
