"""The dbt project as Dagster assets; dbt tests load as asset checks.

``dbt build`` runs the models and their tests in one invocation against the
pipeline's working DuckDB file, passed as a dbt var (``profiles.yml`` reads it),
so nothing here writes the process environment. Asset keys and groups come from
a translator: sources ``raw.<table>`` are the keys of the Python assets that fill
them, and models are ``<schema>/<model>`` grouped by their folder. Nothing runs
at import time: the project (and its manifest) is prepared once, when the
definitions are first built.

A run with nothing new builds nothing: when the landing tables and the dbt project
are those of the last successful build and that build was published
(:mod:`dagster_project.lib.build_state`), the asset logs why and yields no
materialization. Its outputs are optional (dagster-dbt's assets are subsettable),
so the dbt checks and the publish step downstream are skipped, not failed.
Reprocessing and the daily schedule pass ``force`` and always rebuild.

A build is incremental (only what the changed articles touch) unless it is
forced, the last build failed or the dbt project changed: then it is
``--full-refresh`` (:mod:`dagster_project.lib.dbt_incremental`).

dbt runs inside this process (:mod:`dagster_project.lib.dbt_runner`), not as a new
``dbt`` process per build: that process's start-up was most of the dbt step when
one article changed. Its events become the same materializations and check
results dagster-dbt makes of the CLI's (dagster-dbt's own event translation). A
build of a selection (some models or checks left out in the UI) goes through
dagster-dbt's CLI invocation, which turns the selection into dbt's arguments.
"""

import functools
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtProjectPreparer,
    DagsterDbtTranslator,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dagster_duckdb import DuckDBResource

from dagster_project.defs.resources import (
    WAREHOUSE_POOL,
    OfflineDbtCliResource,
    dbt_database_path,
    dbt_executable,
)
from dagster_project.lib import build_state, dbt_incremental, dbt_runner, settings


class LocalDbtPreparer(DagsterDbtProjectPreparer):
    """Parses the project with the dbt of this environment (found even when the
    environment is not activated) and without dbt's network version check."""

    def prepare(self, project: DbtProject) -> None:
        cli = OfflineDbtCliResource(project_dir=project, dbt_executable=dbt_executable())
        cli.cli(["parse", "--quiet"], target_path=project.target_path).wait()


@functools.cache
def dbt_project() -> DbtProject:
    """The dbt project with a manifest to read.

    The manifest is a build artefact (git-ignored): `make run`/`make test` refresh
    it with `dbt parse` when a dbt file changes, and `dagster dev` re-parses on
    start (prepare_if_dev). Any other entry point on a fresh clone parses once
    here. Run workers load the definitions too and must not race each other
    rewriting the manifest, so an existing manifest is never re-parsed outside
    `dagster dev`.
    """
    project = DbtProject(
        project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR
    )
    preparer = LocalDbtPreparer()
    if Path(project.manifest_path).exists():
        preparer.prepare_if_dev(project)
    else:
        preparer.prepare(project)
    return project


class ProjectTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        # fqn: [project, folder, ..., model]; the first folder is the layer.
        return fqn[1] if len(fqn) > 2 else "dbt"


class BuildConfig(dg.Config):
    """Rebuild even when nothing changed (reprocess runs, the daily schedule)."""

    force: bool = False


def landing_fingerprint(con, manifest_path: Path, project_version: str | None = None) -> str:
    """The fingerprint of what a build would read now: every row of the dbt sources
    named in the manifest, and the dbt project's files (``project_version``, when the
    caller has it already)."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    return build_state.landing_fingerprint(
        con,
        build_state.sources_from_manifest(manifest),
        project_version or build_state.dbt_project_version(settings.DBT_PROJECT_DIR),
    )


@functools.cache
def dbt_models_asset() -> dg.AssetsDefinition:
    project = dbt_project()

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=ProjectTranslator(),
        pool=WAREHOUSE_POOL,
    )
    def dbt_models(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        duckdb: DuckDBResource,
        config: BuildConfig,
    ):
        with duckdb.get_connection() as con:
            project_version = build_state.dbt_project_version(settings.DBT_PROJECT_DIR)
            fingerprint = landing_fingerprint(con, project.manifest_path, project_version)
            fresh, why = build_state.up_to_date(con, fingerprint, settings.published_db_path())
            if not config.force and fresh:
                context.log.info(f"dbt build skipped: {why}")
                return
            full_why = dbt_incremental.full_refresh_reason(con, project_version, config.force)
            # Until this build succeeds, no record claims its marts exist.
            build_state.forget(con, "dbt")
        context.log.info(
            "dbt build: " + ("forced" if config.force else why) + "; "
            + (f"full refresh: {full_why}" if full_why else "incremental (changed articles only)")
        )
        args = dbt_incremental.build_args(dbt_database_path(), full_refresh=full_why is not None)
        target = dbt_incremental.target_path(dbt_database_path(), Path(project.project_dir))
        if _whole_definition(context):
            yield from _build_in_process(context, project, args, target)
        else:
            yield from dbt.cli(args, context=context, target_path=target).stream()
        if context.is_subset:
            # Some models were left out (a selection in the UI): they did not see this
            # build's changed articles, so the incremental state is no longer whole.
            # No record: the next build is a full refresh.
            context.log.info("dbt build of a selection: the next build is a full refresh")
            return
        with duckdb.get_connection() as con:
            dbt_incremental.record_success(con, fingerprint, project_version)

    return dbt_models


def _whole_definition(context: dg.AssetExecutionContext) -> bool:
    """Whether the step runs every dbt model, seed and check of the definition
    (a run of the job, not a selection in the UI)."""
    return not context.is_subset and set(context.selected_asset_check_keys) == set(
        context.assets_def.check_keys
    )


def _build_in_process(
    context: dg.AssetExecutionContext, project: DbtProject, args: list[str], target: Path
) -> Iterator[Any]:
    """``dbt <args>`` in this process; each finished node becomes the Dagster event
    dagster-dbt would make of the CLI's log line, and dbt's log lines go to stdout
    (the run's compute log), as the CLI's would."""
    # The manifest and translator the definition was built from (already loaded).
    manifest, translator, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    # The same start and end lines dagster-dbt logs around a dbt process.
    command = f"`dbt {' '.join(args)}` (in this process, target {target})"
    context.log.info(f"Running dbt command: {command}.")
    for raw_event in dbt_runner.build_events(
        args,
        project_dir=Path(project.project_dir),
        profiles_dir=Path(project.profiles_dir or project.project_dir),
        target_path=target,
    ):
        event = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
        sys.stdout.write(f"{event}\n")
        yield from event.to_default_asset_events(
            manifest=manifest,
            dagster_dbt_translator=translator,
            context=context,
            target_path=target,
            project=project,
        )
    sys.stdout.flush()
    context.log.info(f"Finished dbt command: {command}.")


@dg.definitions
def dbt_definitions() -> dg.Definitions:
    return dg.Definitions(assets=[dbt_models_asset()])
