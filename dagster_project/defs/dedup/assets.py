"""The dedup stage: rewrite clusters of articles and claim clusters across articles."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.resources import WAREHOUSE_POOL


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "article_clusters"],
            deps=[["raw", "articles"], ["raw", "claims"]],
            description="Rewrite cluster of every article (near-copies and paraphrases share one).",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "claim_clusters"],
            deps=[["raw", "articles"], ["raw", "claims"]],
            description="Cluster of every claim: the same sentence-level claim across articles.",
            kinds={"python", "duckdb"},
        ),
    ],
    group_name="dedup",
    pool=WAREHOUSE_POOL,
)
def clusters(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    from dagster_project.lib.dedup.step import assign_clusters

    with duckdb.get_connection() as con:
        stats = assign_clusters(con)
    if stats.get("skipped"):
        context.log.info("clusters: inputs unchanged since the last clustering, tables kept")
    else:
        context.log.info(f"clusters: {stats}")
    meta = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
    yield dg.MaterializeResult(asset_key=["raw", "article_clusters"], metadata=meta)
    yield dg.MaterializeResult(asset_key=["raw", "claim_clusters"], metadata=meta)
