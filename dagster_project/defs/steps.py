"""What the per-article stage assets share: the reprocess config, progress logs and
the quarantine list in their metadata."""

import dagster as dg

from dagster_project.lib.warehouse import StepStats


class ReprocessConfig(dg.Config):
    """Which articles to process again even if nothing changed."""

    paths: list[str] = []  # paths relative to RAW_DIR, e.g. ["002_1adc10c9f5ff94ad.txt"]
    force_all: bool = False


def progress_logger(context: dg.AssetExecutionContext, what: str):
    step = 100

    def report(done: int, total: int) -> None:
        if done == total or done % step == 0:
            context.log.info(f"{what}: {done}/{total}")

    return report


def quarantine_md(stats: StepStats) -> dg.MetadataValue:
    lines = [f"- `{path}`: {reason}" for path, reason in stats.quarantined[:50]] or ["none"]
    return dg.MetadataValue.md("\n".join(lines))
