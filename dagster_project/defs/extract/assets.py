"""The extract stage: claims and actor, figure and event mentions with their spans."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.resources import WAREHOUSE_POOL, ClusterResource
from dagster_project.defs.steps import ReprocessConfig, progress_logger, quarantine_md
from dagster_project.lib.extract.step import extract_pending

EXTRACTION_KEYS = ["claims", "actor_mentions", "figure_mentions", "event_mentions"]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", name],
            deps=[["raw", "articles"]],
            description=f"Extracted {name.replace('_', ' ')} with character spans in the body.",
            kinds={"python", "duckdb"},
        )
        for name in EXTRACTION_KEYS
    ],
    group_name="extract",
    pool=WAREHOUSE_POOL,
)
def extractions(
    context: dg.AssetExecutionContext, config: ReprocessConfig, duckdb: DuckDBResource,
    cluster: ClusterResource,
):
    with duckdb.get_connection() as con:
        stats = extract_pending(
            con,
            paths=config.paths,
            force_all=config.force_all,
            engine=cluster.engine(),
            progress=progress_logger(context, "extracted"),
        )
    context.log.info(f"extracted {stats.processed}, failed {len(stats.quarantined)}")
    meta = {"extracted": stats.processed, "quarantined": quarantine_md(stats)}
    for name in EXTRACTION_KEYS:
        yield dg.MaterializeResult(asset_key=["raw", name], metadata=meta)
