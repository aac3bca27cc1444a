"""The clean stage: cleaned articles and the boilerplate removed from them."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.resources import WAREHOUSE_POOL, ClusterResource
from dagster_project.defs.steps import ReprocessConfig, progress_logger, quarantine_md
from dagster_project.lib import settings
from dagster_project.lib.clean.step import clean_pending


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "articles"],
            deps=[["raw", "files"]],
            description="One cleaned article per live file: body text and page metadata.",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "removed_blocks"],
            deps=[["raw", "files"]],
            description="Every block removed from a page as boilerplate, with its reason.",
            kinds={"python", "duckdb"},
        ),
    ],
    group_name="clean",
    pool=WAREHOUSE_POOL,
)
def cleaned_articles(
    context: dg.AssetExecutionContext, config: ReprocessConfig, duckdb: DuckDBResource,
    cluster: ClusterResource,
):
    with duckdb.get_connection() as con:
        stats = clean_pending(
            con,
            settings.raw_dir(),
            paths=config.paths,
            force_all=config.force_all,
            engine=cluster.engine(),
            progress=progress_logger(context, "cleaned"),
        )
    context.log.info(
        f"cleaned {stats.processed}, quarantined or failed {len(stats.quarantined)}, "
        f"unchanged {stats.skipped}"
    )
    meta = {
        "cleaned": stats.processed,
        "content_changed": len(stats.new_or_changed),
        "quarantined": quarantine_md(stats),
    }
    yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata=meta)
    yield dg.MaterializeResult(asset_key=["raw", "removed_blocks"], metadata=meta)
