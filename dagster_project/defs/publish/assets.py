"""The publish stage: the warehouse analysts and BI tools read."""

from pathlib import Path

import dagster as dg
import duckdb as duckdb_lib
from dagster_duckdb import DuckDBResource

from dagster_project.defs.dbt.assets import dbt_models_asset
from dagster_project.defs.resources import WAREHOUSE_POOL
from dagster_project.lib import build_state, publish, settings


def published_warehouse_asset(upstream: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """The published copy, downstream of every dbt model and test in ``upstream``."""

    @dg.asset(
        key=["warehouse", "published"],
        deps=list(upstream.keys),
        group_name="publish",
        kinds={"duckdb", "parquet"},
        pool=WAREHOUSE_POOL,
        description=(
            "The warehouse analysts open read-only: $WAREHOUSE_DIR/warehouse.duckdb, swapped "
            "in atomically after each build, plus every mart as Parquet under "
            "$WAREHOUSE_DIR/parquet."
        ),
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, duckdb: DuckDBResource
    ) -> dg.MaterializeResult:
        target = settings.published_db_path()
        with duckdb.get_connection() as con:
            built = build_state.stored(con, "dbt")  # the build this publishes
        counts = publish.publish(Path(duckdb.database), target, settings.parquet_dir())
        if built is not None:
            with duckdb.get_connection() as con:
                build_state.record(con, "publish", built)
                build_state.record(con, "published_file", build_state.published_file_key(target))
        context.log.info(f"published {target}: {counts}")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(target)),
                "version": dg.MetadataValue.path(str(publish.current_version(target))),
                "parquet_dir": dg.MetadataValue.path(str(settings.parquet_dir())),
                "row_counts": dg.MetadataValue.json(counts),
            }
        )

    return published_warehouse


@dg.asset_check(asset=dg.AssetKey(["warehouse", "published"]), blocking=False)
def analysts_contract(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    """Every table and column of the analysts' contract is in the published file."""
    con = duckdb_lib.connect(str(settings.published_db_path()), read_only=True)
    try:
        missing = publish.missing_contract_columns(con)
    finally:
        con.close()
    return dg.AssetCheckResult(
        passed=not missing, metadata={"missing": dg.MetadataValue.json(missing)}
    )


@dg.definitions
def publish_definitions() -> dg.Definitions:
    return dg.Definitions(
        assets=[published_warehouse_asset(dbt_models_asset())],
        asset_checks=[analysts_contract],
    )
