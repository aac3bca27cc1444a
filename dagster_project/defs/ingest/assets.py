"""The ingest stage: the inventory of RAW_DIR as ``raw/files``.

Each Python asset's key is the ``raw.<table>`` source that dbt reads, so Dagster
shows one graph from the files on disk to the marts.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.defs.resources import WAREHOUSE_POOL
from dagster_project.lib import settings, workdb
from dagster_project.lib.ingest.inventory import sync_inventory


class InventoryConfig(dg.Config):
    """Set ``allow_mass_removal`` when most files were deleted from RAW_DIR on purpose."""

    allow_mass_removal: bool = False


@dg.asset(
    key=["raw", "files"],
    group_name="ingest",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    description=(
        "Inventory of every file under RAW_DIR: size, content hash, detected format and "
        "encoding, status (ok / quarantined with a reason / failed / removed). Raw files are "
        "only read."
    ),
)
def raw_files(
    context: dg.AssetExecutionContext, config: InventoryConfig, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    raw_dir = settings.raw_dir()
    if not raw_dir.is_dir():
        raise dg.Failure(f"RAW_DIR {raw_dir} does not exist or is not a folder")
    # The first step of every run: a damaged working database is moved aside here and
    # this run rebuilds it from RAW_DIR (lib.workdb).
    aside = workdb.move_aside_if_damaged(Path(duckdb.database))
    if aside:
        context.log.error(
            f"working database {duckdb.database} was damaged: moved aside to {aside}; "
            "rebuilding everything from RAW_DIR"
        )
    with duckdb.get_connection() as con:
        stats = sync_inventory(con, raw_dir, allow_mass_removal=config.allow_mass_removal)
        counts = dict(con.execute("select status, count(*) from raw.files group by 1").fetchall())
    context.log.info(
        f"{len(stats.new_or_changed)} new or touched, {len(stats.removed)} removed, "
        f"{stats.skipped} unchanged"
    )
    return dg.MaterializeResult(
        metadata={
            "raw_dir": str(raw_dir),
            "new_or_touched": len(stats.new_or_changed),
            "removed": len(stats.removed),
            "unchanged": stats.skipped,
            "files_by_status": dg.MetadataValue.json(counts),
        }
    )
