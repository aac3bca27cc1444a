"""Command line: run the pipeline once through the same Dagster definitions the UI uses.

    python -m dagster_project.cli run                 # what `make run` does
    python -m dagster_project.cli run --reprocess 002_1adc10c9f5ff94ad.txt
    python -m dagster_project.cli run --reprocess-all
    python -m dagster_project.cli run --allow-mass-removal   # most files deleted on purpose
    python -m dagster_project.cli run --always-run    # start a run even with nothing new

Runs are recorded in the Dagster instance at $DAGSTER_HOME when it is set (the
Makefile points it at .dagster_home/), so they show up in `make ui` too.
Exits non-zero when the run fails (including a failing dbt test). With nothing
new since the last run (no new, edited or deleted file, no code change, the
marts built and published from the current landing data), it starts no run, as
the sensor does, and says so (:mod:`dagster_project.lib.noop`).
"""

from __future__ import annotations

import argparse
import os
import sys

import duckdb

from dagster_project.lib import runtime, settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the whole pipeline once on RAW_DIR")
    run.add_argument("--reprocess", action="append", default=[], metavar="PATH",
                     help="clean and extract this file again (path relative to RAW_DIR)")
    run.add_argument("--reprocess-all", action="store_true",
                     help="clean and extract every file again")
    run.add_argument("--allow-mass-removal", action="store_true",
                     help="mark removed the articles whose files are gone even when that is "
                          "most of them (without it, such a run stops and changes nothing)")
    run.add_argument("--always-run", action="store_true",
                     help="start a run even when nothing changed since the last one")
    args = parser.parse_args(argv)
    return run_pipeline(args.reprocess, args.reprocess_all, args.allow_mass_removal,
                        args.always_run)


def run_pipeline(reprocess: list[str], reprocess_all: bool,
                 allow_mass_removal: bool = False, always_run: bool = False) -> int:
    import dagster as dg

    from dagster_project.recovery import process_tags, recover_dead_runs

    print(f"raw files:  {settings.raw_dir()}")
    print(f"warehouse:  {settings.published_db_path()}")
    home = os.environ.get("DAGSTER_HOME")
    if home:
        os.makedirs(home, exist_ok=True)
        instance = dg.DagsterInstance.get()
    else:
        instance = dg.DagsterInstance.ephemeral()
    with instance:
        # A run whose process was killed holds its pool slot forever: free it first.
        for message in recover_dead_runs(instance).messages():
            print(f"recovered: {message}")
        if not (reprocess or reprocess_all or allow_mass_removal or always_run):
            why = _why_run(instance)
            if why is None:
                print("nothing new since the last run (files, code, landing data and the "
                      "published marts unchanged): no run started")
                print_summary()
                return 0
            print(f"run needed: {why}")
        from dagster_project.definitions import defs

        if reprocess or reprocess_all:
            job = defs.resolve_job_def("reprocess_job")
            run_config = {"paths": reprocess, "all": reprocess_all}
        else:
            job = defs.resolve_job_def("refresh_job")
            # Step-level progress at INFO; the DEBUG event stream is in the UI.
            run_config = {
                "loggers": {"console": {"config": {"log_level": "INFO"}}},
                "ops": {"raw__files": {"config": {"allow_mass_removal": allow_mass_removal}}},
            }
        result = job.execute_in_process(
            instance=instance, run_config=run_config, raise_on_error=False,
            tags=process_tags(),
        )
    if not result.success:
        for line in failure_lines(result.all_events):
            print(line, file=sys.stderr)
        print(f"run {result.run_id} failed", file=sys.stderr)
        return 1
    print(f"run {result.run_id} succeeded")
    print_summary()
    return 0


def _why_run(instance) -> str | None:
    """Why this call must start a run, or None when it would change nothing. While
    another run of the instance is unfinished, the working database is its own (the
    pool's one slot): start a run, which waits for the slot, instead of opening it."""
    import dagster as dg

    from dagster_project.lib.noop import why_run
    from dagster_project.recovery import UNFINISHED

    if instance.get_run_records(filters=dg.RunsFilter(statuses=UNFINISHED), limit=1):
        return "another run is in progress"
    return why_run(settings.raw_dir(), settings.work_db_path(),
                   settings.published_db_path(), settings.DBT_PROJECT_DIR)


def failure_lines(events) -> list[str]:
    """One line per failed step: ``FAILED: <step>: <file, if any>: <cause>``."""
    from dagster_project.failures import describe_failure

    lines = [
        describe_failure(event.step_key, event.step_failure_data.error)
        for event in events
        if event.is_step_failure and event.step_failure_data
    ]
    if not lines:  # the run failed outside any step
        lines = [f"FAILED: run: {e.message}" for e in events if e.is_failure]
    return lines


SUMMARY_SQL = {
    "articles (ok)": "select count(*) from marts.dim_articles where status = 'ok'",
    "removed boilerplate blocks": "select count(*) from marts.removed_blocks",
    "claims": "select count(*) from marts.fct_claims",
    "figures": "select count(*) from marts.fct_figures",
    "events": "select count(*) from marts.fct_events",
    "actors": "select count(*) from marts.dim_actors",
    "quarantined files": "select count(*) from marts.dim_articles where status = 'quarantined'",
    "removed files": "select count(*) from marts.dim_articles where status = 'removed'",
}


def print_summary() -> None:
    path = settings.published_db_path()
    con = duckdb.connect(str(path), read_only=True)
    try:
        print("\nWhat was built:")
        for label, sql in SUMMARY_SQL.items():
            print(f"  {label:<28}{con.execute(sql).fetchone()[0]:>8}")
        quarantined = con.execute(
            "select source_path, quarantine_reason from marts.dim_articles "
            "where status = 'quarantined' order by 1"
        ).fetchall()
        for source_path, reason in quarantined:
            print(f"  quarantined: {source_path}: {reason}")
    finally:
        con.close()
    print(
        "\nQuery it (read-only, safe while the pipeline runs):\n"
        f"  duckdb -readonly {path}\n"
        f"  python -c \"import duckdb; con = duckdb.connect('{path}', read_only=True); "
        "print(con.sql('select * from marts.fct_figures order by n_articles desc limit 10'))\"\n"
        f"Parquet copies of the marts: {settings.parquet_dir()}/marts/"
    )


if __name__ == "__main__":
    runtime.tune_gc()
    runtime.exit_without_teardown(main())
