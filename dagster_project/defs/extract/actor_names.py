"""The cross-article actor names, recomputed after every extraction."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.resources import WAREHOUSE_POOL


@dg.asset(
    key=["raw", "actor_names"],
    deps=[["raw", "actor_mentions"]],
    description="Every actor name the extractor produced -> the one name of its actor "
    "across articles (spelling variants, short forms; never two people merged).",
    kinds={"python", "duckdb"},
    group_name="extract",
    pool=WAREHOUSE_POOL,
)
def actor_names(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    from dagster_project.lib.extract.actor_names import refresh_actor_names

    with duckdb.get_connection() as con:
        stats = refresh_actor_names(con)
    context.log.info(f"actor names: {stats}")
    return dg.MaterializeResult(metadata=stats)
