"""dbt in this process: a ``dbt build`` through dbt's programmatic runner, its events
streamed as they happen.

Why not a new ``dbt`` process per build (what dagster-dbt's ``DbtCliResource.cli``
does): at one changed article into a 10,000-article warehouse, the fixed cost of
that process was most of the dbt step. Python's start, importing dbt (1.7 s; the
pipeline's process has imported it already, through dagster-dbt), loading the
project (a partial parse, 3 s with the imports for a build that selects nothing)
and dagster-dbt opening a dbt adapter of its own in the calling process. In this
process the first build pays the project load only (about 1.4 s).

What the caller gets: every dbt event of level info, warn or error as the dict
dbt's JSON log would print (``{"info": {...}, "data": {...}}``), the form
dagster-dbt's event messages read; the debug events (thousands per build: every
SQL statement) go only to the debug log in the target folder, as with the CLI.
The build runs on a thread of its own so that events reach the caller while it
runs (a full build at 100k articles takes minutes, and ops watch its models
finish in the Dagster UI); dbt's own node threads run under it as usual.

DuckDB allows one writing process per file, and dbt-duckdb keeps its database
open in a class-level environment after an in-process build returns (a CLI
process would have exited). The file is closed here when the build ends,
successfully or not, so that the next step, an analyst's read-only connection or
a second run can open it.

No Dagster import: the dbt step (``defs/dbt/assets.py``) turns the events into
materializations and check results.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

# The event levels handed to the caller (dbt's stdout at its default level).
_LEVELS = frozenset({"info", "warn", "error"})


class DbtBuildFailed(RuntimeError):
    """dbt finished with a failure (a model's SQL failed, a data test failed) or
    could not run at all; the message carries dbt's own error lines."""

    def __init__(self, command: Sequence[str], errors: Sequence[str], target_path: Path):
        # The first line says what failed ("Failure in test unique_fct_claims_claim_id
        # (models/marts/fct_claims.yml)"): it is what the CLI prints for a failed step.
        headline = next((e for e in errors if e.lstrip().startswith("Failure in ")),
                        errors[0] if errors else "dbt reported no error line")
        lines = "\n\n".join(errors)
        super().__init__(
            f"dbt {command[0]} failed: {headline.strip().splitlines()[0]}\n\n"
            f"dbt's errors:\n\n{lines}\n\n"
            f"Command: dbt {' '.join(command)}\n"
            f"The debug log (every SQL statement): {target_path / 'dbt.log'}"
        )
        self.errors = list(errors)


def build_events(
    args: Sequence[str], *, project_dir: Path, profiles_dir: Path, target_path: Path
) -> Iterator[dict[str, Any]]:
    """Run ``dbt <args>`` in this process; yield its info/warn/error events while it runs.

    Raises :class:`DbtBuildFailed` after the last event when dbt did not succeed
    (the events of the nodes that did run are yielded first, as the CLI's would
    be). ``target_path`` holds the artefacts, the partial-parse state and the
    debug log, as ``--target-path`` and ``--log-path`` of the CLI."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    command = [
        *args,
        "--project-dir", str(project_dir),
        "--profiles-dir", str(profiles_dir),
        "--target-path", str(target_path),
        "--log-path", str(target_path),
        # Nothing on this process's stdout from dbt itself: the caller prints what it
        # yields. The debug log file stays as the CLI writes it (dbt would otherwise
        # give the file the stdout level).
        "--log-level", "none",
        "--log-level-file", "debug",
        "--no-use-colors",
    ]
    events: queue.SimpleQueue = queue.SimpleQueue()
    finished = object()
    outcome: dict[str, Any] = {}

    def on_event(msg) -> None:
        if msg.info.level in _LEVELS:
            events.put(msg_to_dict(msg))

    def run() -> None:
        try:
            outcome["result"] = dbtRunner(callbacks=[on_event]).invoke(command)
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc
        finally:
            close_duckdb()
            events.put(finished)

    worker = threading.Thread(target=run, name="dbt-build", daemon=True)
    worker.start()
    errors: list[str] = []
    while (event := events.get()) is not finished:
        if event["info"]["level"] == "error":
            errors.append(event["info"]["msg"])
        yield event
    worker.join()
    if "error" in outcome:
        raise DbtBuildFailed(args, [*errors, repr(outcome["error"])], target_path) from outcome[
            "error"
        ]
    result = outcome["result"]
    if not result.success:
        if result.exception is not None:
            errors.append(repr(result.exception))
        raise DbtBuildFailed(args, errors, target_path) from result.exception


def close_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open between in-process invocations.

    dbt-duckdb holds one environment (and its DuckDB connection) per process in
    ``DuckDBConnectionManager._ENV`` and drops it only at interpreter exit;
    closing it here releases the file's lock for other processes."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: nothing of ours to close
        return
    env = DuckDBConnectionManager._ENV
    if env is not None:
        env.close()
    DuckDBConnectionManager.close_all_connections()
