"""Jobs, the raw/ sensor and the daily schedule: on by default, nothing for ops to switch on."""


import dagster as dg

from dagster_project.defs.resources import RUN_EXECUTOR
from dagster_project.lib import settings
from dagster_project.lib.ingest import watch

refresh_job = dg.define_asset_job(
    "refresh_job",
    selection=dg.AssetSelection.all(),
    executor_def=RUN_EXECUTOR,
    description=(
        "Bring the warehouse up to date: inventory raw/, clean and extract only new or "
        "changed articles, rebuild and test the marts, publish. With nothing new, the dbt "
        "build and the publish are skipped."
    ),
)

reprocess_job = dg.define_asset_job(
    "reprocess_job",
    selection=dg.AssetSelection.all(),
    executor_def=RUN_EXECUTOR,
    description=(
        "Clean and extract again the articles listed in `paths` (relative to raw/), or all of "
        "them with `all: true`, even if nothing changed; then rebuild and publish."
    ),
    config=dg.ConfigMapping(
        config_schema={
            "paths": dg.Field([str], default_value=[], description="e.g. ['002_x.txt']"),
            "all": dg.Field(bool, default_value=False, description="re-run every article"),
        },
        config_fn=lambda cfg: {
            "ops": {
                **{
                    op: {"config": {"paths": cfg["paths"], "force_all": cfg["all"]}}
                    for op in ("cleaned_articles", "extractions")
                },
                # Reprocessing rewrites rows even when they come out the same: rebuild.
                "dbt_models": {"config": {"force": True}},
            }
        },
    ),
)


@dg.sensor(
    job=refresh_job,
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches RAW_DIR; new, edited or deleted files start one refresh run.",
)
def raw_dir_sensor(context: dg.SensorEvaluationContext):
    raw_dir = settings.raw_dir()
    if not raw_dir.is_dir():
        return dg.SkipReason(f"RAW_DIR {raw_dir} does not exist")
    previous = watch.decode_state(context.cursor)
    current, changes = watch.diff_raw_dir(raw_dir, previous)
    cursor = watch.encode_state(current)
    if not changes:
        # Keep stat updates (touched files) so they are not hashed again.
        context.update_cursor(cursor)
        return dg.SkipReason("no new, changed or deleted files")
    context.log.info(f"raw/: {changes.summary()}")
    # One run takes every pending change, so a drop of thousands of files is
    # processed in one run (or a few, if they keep arriving), not one per file.
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=changes.run_key(current),
                tags={"trigger": "raw_dir_sensor", "changes": changes.summary()},
            )
        ],
        cursor=cursor,
    )


daily_rebuild = dg.ScheduleDefinition(
    name="daily_rebuild",
    job=refresh_job,
    cron_schedule="0 3 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    run_config={"ops": {"dbt_models": {"config": {"force": True}}}},
    description=(
        "Daily full pass: re-inventory raw/ (catches anything the sensor missed), reprocess "
        "what changed (including after a code change) and rebuild every mart from scratch."
    ),
)
