"""The per-article stages on a real Dask cluster started the way a user starts one.

A scheduler and two single-thread workers run as separate processes on loopback
(the ``dask scheduler`` / ``dask worker`` command lines); the pipeline gets the
scheduler's address through ``CLUSTER_ADDRESS`` and must build exactly the marts
of the in-process run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.pipeline.helpers import Workspace

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cli() -> list[str]:
    exe = Path(sys.executable).with_name("dask")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "distributed.cli.dask_spec"]


@pytest.fixture
def dask_cluster(tmp_path):
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    # Workers import this checkout's code, as a user's workers import the installed package.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    logs = [open(tmp_path / f"{name}.log", "w") for name in ("scheduler", "worker1", "worker2")]
    procs = [subprocess.Popen(
        [*_dask_cli(), "scheduler", "--host", "127.0.0.1", "--port", str(port),
         "--no-dashboard"], cwd=ROOT, env=env, stdout=logs[0], stderr=subprocess.STDOUT)]
    try:
        for log in logs[1:]:
            procs.append(subprocess.Popen(
                [*_dask_cli(), "worker", address, "--nthreads", "1", "--nworkers", "1",
                 "--no-dashboard", "--host", "127.0.0.1"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 90
        client = None
        while time.monotonic() < deadline:
            try:
                client = client or Client(address, timeout="5s")
                if len(client.scheduler_info()["workers"]) == 2:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError("the two-worker cluster did not come up")
        yield address, client
        client.close()
    finally:
        from dagster_project.lib import parallel

        parallel.shutdown()  # the pipeline's client, before its scheduler goes away
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs:
            log.close()


def _models_loaded() -> int:
    """On a worker: how many spaCy pipelines this worker process holds."""
    mod = sys.modules.get("dagster_project.lib.extract.nlp")
    return len(mod._CACHE) if mod else 0


def test_pipeline_on_an_existing_two_worker_cluster_builds_the_same_marts(
    built: Workspace, dask_cluster, tmp_path, monkeypatch
):
    address, client = dask_cluster
    raw = tmp_path / "raw"
    shutil.copytree(built.raw_dir, raw)
    ws = Workspace(raw, tmp_path / "warehouse")
    monkeypatch.setenv("CLUSTER_ADDRESS", address)
    monkeypatch.setenv("CLUSTER_MIN_BATCH", "1")  # the samples are a small batch
    result = ws.run()
    assert result.success
    assert ws.snapshot() == built.snapshot()
    # The work ran on both workers, each with the model loaded once.
    assert client.run(_models_loaded) == {w: 1 for w in client.scheduler_info()["workers"]}
