"""Launch a materialization through the real webserver's GraphQL API, as the UI does."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from dagster import DagsterEventType, DagsterInstance
from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError

from tests.conftest import PROJECT_ROOT, copy_samples

# The project's instance settings, with runs launched at once (no daemon here to
# dequeue them).
INSTANCE_YAML = {
    **yaml.safe_load((PROJECT_ROOT / ".dagster_home" / "dagster.yaml").read_text()),
    "run_coordinator": {"module": "dagster.core.run_coordinator",
                        "class": "DefaultRunCoordinator"},
}
INSTANCE_YAML.pop("run_queue")  # the queue's settings select the queued coordinator


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"webserver exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise TimeoutError("webserver did not come up")


@pytest.fixture
def webserver(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump(INSTANCE_YAML))
    raw = copy_samples(tmp_path / "raw")
    env = dict(os.environ, DAGSTER_HOME=str(home), RAW_DIR=str(raw),
               WAREHOUSE_DIR=str(tmp_path / "warehouse"))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    port = _free_port()
    log = open(tmp_path / "webserver.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-webserver"),
         "-w", str(PROJECT_ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
        # A file, not a pipe: a full pipe nobody reads would block the server.
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(port, proc)
        yield port, tmp_path / "warehouse", home
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_materialization_launched_through_graphql_succeeds(webserver):
    port, warehouse, home = webserver
    client = DagsterGraphQLClient("127.0.0.1", port_number=port)
    run_id = client.submit_job_execution(
        "refresh_job", repository_location_name="article_claims"
    )
    deadline = time.time() + 600
    status = None
    while time.time() < deadline:
        try:
            status = client.get_run_status(run_id).value
        except DagsterGraphQLClientError:
            status = None
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(2)
    assert status == "SUCCESS"
    assert (warehouse / "warehouse.duckdb").exists()
    # Every step ran in the run's own process (the in-process executor), not in a
    # process of its own that loads everything again.
    with DagsterInstance.from_config(str(home)) as instance:
        events = [e.dagster_event for e in instance.all_logs(run_id)
                  if e.dagster_event is not None]
    steps = [e for e in events if e.event_type == DagsterEventType.STEP_START]
    assert len(steps) >= 8
    assert {e.pid for e in steps} == {next(e.pid for e in events
                                          if e.event_type == DagsterEventType.RUN_START)}
