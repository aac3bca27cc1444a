"""Python assets that land raw files, cleaned articles and extractions in DuckDB.

Each asset key is the ``raw.<table>`` source that dbt reads, so Dagster shows
one graph from the files on disk to the marts. The work itself is in
``dagster_project.lib.pipeline``; these wrappers add config, logs and metadata.
"""


import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.lib import pipeline, settings

# Every asset that writes the working database runs in this pool; the
# instance limits it to one slot, matching DuckDB's one-writer rule.
WAREHOUSE_POOL = "duckdb_warehouse"


class ReprocessConfig(dg.Config):
    """Which articles to process again even if nothing changed."""

    paths: list[str] = []  # paths relative to RAW_DIR, e.g. ["002_1adc10c9f5ff94ad.txt"]
    force_all: bool = False


def _progress(context: dg.AssetExecutionContext, what: str):
    step = 100

    def report(done: int, total: int) -> None:
        if done == total or done % step == 0:
            context.log.info(f"{what}: {done}/{total}")

    return report


def _quarantine_md(stats: pipeline.StepStats) -> dg.MetadataValue:
    lines = [f"- `{path}`: {reason}" for path, reason in stats.quarantined[:50]] or ["none"]
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(
    key=["raw", "files"],
    group_name="ingest",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    description=(
        "Inventory of every file under RAW_DIR: size, content hash, detected format and "
        "encoding, status (ok / quarantined with a reason / removed). Raw files are only read."
    ),
)
def raw_files(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    raw_dir = settings.raw_dir()
    if not raw_dir.is_dir():
        raise dg.Failure(f"RAW_DIR {raw_dir} does not exist or is not a folder")
    with duckdb.get_connection() as con:
        stats = pipeline.sync_inventory(con, raw_dir)
        counts = dict(con.execute("select status, count(*) from raw.files group by 1").fetchall())
    context.log.info(
        f"{len(stats.new_or_changed)} new or changed, {len(stats.removed)} removed, "
        f"{len(stats.quarantined)} quarantined, {stats.skipped} unchanged"
    )
    return dg.MaterializeResult(
        metadata={
            "raw_dir": str(raw_dir),
            "new_or_changed": len(stats.new_or_changed),
            "removed": len(stats.removed),
            "unchanged": stats.skipped,
            "files_by_status": dg.MetadataValue.json(counts),
            "quarantined_now": _quarantine_md(stats),
        }
    )


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
    context: dg.AssetExecutionContext, config: ReprocessConfig, duckdb: DuckDBResource
):
    with duckdb.get_connection() as con:
        stats = pipeline.clean_pending(
            con,
            settings.raw_dir(),
            paths=config.paths,
            force_all=config.force_all,
            progress=_progress(context, "cleaned"),
        )
    context.log.info(f"cleaned {stats.processed}, quarantined {len(stats.quarantined)}")
    meta = {"cleaned": stats.processed, "quarantined": _quarantine_md(stats)}
    yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata=meta)
    yield dg.MaterializeResult(asset_key=["raw", "removed_blocks"], metadata=meta)


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
def extractions(context: dg.AssetExecutionContext, config: ReprocessConfig, duckdb: DuckDBResource):
    with duckdb.get_connection() as con:
        stats = pipeline.extract_pending(
            con,
            paths=config.paths,
            force_all=config.force_all,
            progress=_progress(context, "extracted"),
        )
    context.log.info(f"extracted {stats.processed}, quarantined {len(stats.quarantined)}")
    meta = {"extracted": stats.processed, "quarantined": _quarantine_md(stats)}
    for name in EXTRACTION_KEYS:
        yield dg.MaterializeResult(asset_key=["raw", name], metadata=meta)


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
    group_name="extract",
    pool=WAREHOUSE_POOL,
)
def clusters(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    from dagster_project.lib.dedup import assign_clusters

    with duckdb.get_connection() as con:
        stats = assign_clusters(con) or {}
    if stats.get("skipped"):
        context.log.info("clusters: inputs unchanged since the last clustering, tables kept as they are")
    else:
        context.log.info(f"clusters: {stats}")
    meta = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
    yield dg.MaterializeResult(asset_key=["raw", "article_clusters"], metadata=meta)
    yield dg.MaterializeResult(asset_key=["raw", "claim_clusters"], metadata=meta)
