"""Recover the Dagster instance from runs whose process died (SIGKILL, OOM kill, power cut).

A run started by ``make run`` executes in the CLI's own process
(``execute_in_process``). When that process is killed, nothing records the end
of the run: it stays STARTED in the instance, and the ``duckdb_warehouse``
pool slot its step had claimed stays claimed, so the next run waits for that
slot forever. Dagster's daemon frees slots of *finished* runs only, and only
when ``make ui`` is running; marking the run failed does not free the slot.

So every run started by the CLI carries tags naming its process (host, pid,
and the process start time, so a recycled pid is not mistaken for it), and the
CLI calls :func:`recover_dead_runs` before it starts a run: runs of this host
whose process is gone are marked failed through the instance's run-status API
(``report_run_failed``, which records a failure event the UI shows), and the
pool slots and queued steps of every finished run are freed
(``free_concurrency_slots_for_run``). Runs on another host, or whose process
is alive, are left alone.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

import dagster as dg
from dagster._core.storage.dagster_run import FINISHED_STATUSES

TAG_HOST = "articles/host"
TAG_PID = "articles/pid"
TAG_PROC_START = "articles/proc_start"

UNFINISHED = [
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.CANCELING,
]


@dataclass
class Recovery:
    """What :func:`recover_dead_runs` repaired."""

    failed_runs: list[str] = field(default_factory=list)
    freed_runs: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        out = [
            f"run {run_id} was left unfinished by a process that no longer exists "
            "(killed or crashed): marked failed" for run_id in self.failed_runs
        ]
        out += [
            f"run {run_id} still held a duckdb_warehouse pool slot after it ended: slot freed"
            for run_id in self.freed_runs
        ]
        return out


def process_tags(pid: int | None = None) -> dict[str, str]:
    """Tags identifying the process that executes a run in-process."""
    pid = os.getpid() if pid is None else pid
    return {
        TAG_HOST: socket.gethostname(),
        TAG_PID: str(pid),
        TAG_PROC_START: _proc_start(pid) or "",
    }


def recover_dead_runs(instance: dg.DagsterInstance) -> Recovery:
    """Fail the unfinished runs whose process is gone and free the pool slots of every
    finished run. Safe to call at any time: live runs are never touched."""
    recovery = Recovery()
    host = socket.gethostname()
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=UNFINISHED)):
        run = record.dagster_run
        tags = run.tags
        if tags.get(TAG_HOST) != host or not tags.get(TAG_PID):
            continue  # not started by this CLI on this machine: not ours to judge
        if _alive(int(tags[TAG_PID]), tags.get(TAG_PROC_START, "")):
            continue
        instance.report_run_failed(
            run,
            message=(
                f"The process that ran this run (pid {tags[TAG_PID]} on {host}) no longer "
                "exists: it was killed or crashed. Marked failed by the next `make run`."
            ),
        )
        recovery.failed_runs.append(run.run_id)

    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return recovery
    holders = set(storage.get_concurrency_run_ids())
    for key in storage.get_concurrency_keys():
        info = storage.get_concurrency_info(key)
        holders.update(slot.run_id for slot in info.claimed_slots)
    if not holders:
        return recovery
    finished = instance.get_run_records(
        filters=dg.RunsFilter(run_ids=sorted(holders), statuses=list(FINISHED_STATUSES))
    )
    known = {r.dagster_run.run_id for r in instance.get_run_records(
        filters=dg.RunsFilter(run_ids=sorted(holders)))}
    # A slot held by a run the instance no longer knows (deleted run) is freed too.
    for run_id in sorted({r.dagster_run.run_id for r in finished} | (holders - known)):
        storage.free_concurrency_slots_for_run(run_id)
        recovery.freed_runs.append(run_id)
    return recovery


def _alive(pid: int, proc_start: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    current = _proc_start(pid)
    # Same pid but a different start time: the pid was recycled by another process.
    return not (proc_start and current and current != proc_start)


def _proc_start(pid: int) -> str | None:
    """The process start time in clock ticks since boot (Linux), or None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its ')'.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None
