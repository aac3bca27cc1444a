"""Resources: the working DuckDB database and the dbt CLI."""

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from dagster_project.lib import settings


@dg.definitions
def resources() -> dg.Definitions:
    # Resolved when the definitions load, so RAW_DIR/WAREHOUSE_DIR of the
    # process (make run, make ui, a test) decide where everything goes.
    work_db = settings.work_db_path()
    work_db.parent.mkdir(parents=True, exist_ok=True)
    return dg.Definitions(
        resources={
            "duckdb": DuckDBResource(database=str(work_db)),
            "dbt": DbtCliResource(
                project_dir=str(settings.DBT_PROJECT_DIR),
                profiles_dir=str(settings.DBT_PROJECT_DIR),
            ),
        }
    )
