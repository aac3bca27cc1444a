"""The dbt project as Dagster assets; dbt tests load as asset checks.

``dbt build`` runs the models and their tests in one invocation against the
pipeline's working DuckDB file. Asset keys and groups come from a translator:
sources ``raw.<table>`` are the keys of the Python assets that fill them, and
models are ``<schema>/<model>`` grouped by their folder.
"""


import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_duckdb import DuckDBResource

from dagster_project.defs.ingest.assets import WAREHOUSE_POOL
from dagster_project.lib import settings

# dbt is installed in the same environment as Dagster; make sure it is found
# even when that environment is not activated (e.g. `.venv/bin/python -m ...`).
_bin = os.path.dirname(sys.executable)
if shutil.which("dbt") is None and os.path.exists(os.path.join(_bin, "dbt")):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR
)


# The manifest is a build artefact (git-ignored). `make run`/`make test` refresh
# it with `dbt parse` when a dbt file changes, and `dagster dev` re-parses on
# start (prepare_if_dev). Any other entry point on a fresh clone parses once
# here. Parsing is never done on every load: run workers load the definitions
# too, and must not race each other rewriting the manifest.
if Path(dbt_project.manifest_path).exists():
    dbt_project.prepare_if_dev()
else:
    dbt_project.preparer.prepare(dbt_project)


class ProjectTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        # fqn: [project, folder, ..., model]; the first folder is the layer.
        return fqn[1] if len(fqn) > 2 else "dbt"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=ProjectTranslator(),
    pool=WAREHOUSE_POOL,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource):
    # profiles.yml reads the database path from the environment.
    os.environ["DBT_DUCKDB_PATH"] = duckdb.database
    yield from dbt.cli(["build"], context=context).stream()
