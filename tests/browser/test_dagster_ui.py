"""The ops' Dagster UI in headless Chromium: the asset graph and the automations.

Starts the real webserver on the project's workspace (like `make ui`, without
the daemon: what is checked is what the UI shows, not that ticks run) on a free
loopback port with its own DAGSTER_HOME.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.browser.chromium import wait_for_text
from tests.browser.conftest import Server, free_port, wait_for_http
from tests.conftest import PROJECT_ROOT, copy_samples

INSTANCE_YAML = """
run_coordinator:
  module: dagster.core.run_coordinator
  class: DefaultRunCoordinator
telemetry:
  enabled: false
"""

STAGES = ("ingest", "clean", "extract", "dedup", "staging", "intermediate", "marts", "publish")

# The on/off switch of a schedule or sensor page.
_SWITCH_JS = """
const s = document.querySelector('label[class*="formatSwitch"] input[type=checkbox]');
return s === null ? null : s.checked;
"""


@pytest.fixture(scope="module")
def dagster_url(tmp_path_factory, chromium_paths):
    root = tmp_path_factory.mktemp("dagster_ui")
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(INSTANCE_YAML)
    env = dict(os.environ, DAGSTER_HOME=str(home), RAW_DIR=str(copy_samples(root / "raw")),
               WAREHOUSE_DIR=str(root / "warehouse"))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    port = free_port()
    server = Server([str(Path(sys.executable).parent / "dagster-webserver"),
                     "-w", str(PROJECT_ROOT / "workspace.yaml"),
                     "-h", "127.0.0.1", "-p", str(port)], env, root / "webserver.log")
    try:
        wait_for_http(f"http://127.0.0.1:{port}/server_info", server.proc, server.log)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _wait_switch(browser, timeout: float = 60):
    deadline = time.time() + timeout
    state = None
    while time.time() < deadline:
        state = browser.execute_script(_SWITCH_JS)
        if state is not None:
            return state
        time.sleep(0.5)
    return state


def test_asset_graph_shows_every_stage(browser, dagster_url, page_errors):
    browser.get(f"{dagster_url}/asset-groups")
    wait_for_text(browser, "Global asset lineage", timeout=120)
    text = wait_for_text(browser, "publish", timeout=120)
    lines = set(text.splitlines())
    assert set(STAGES) <= lines, sorted(lines)
    assert page_errors() == []


@pytest.mark.parametrize("path,name", [("sensors/raw_dir_sensor", "raw_dir_sensor"),
                                       ("schedules/daily_rebuild", "daily_rebuild")])
def test_sensor_and_schedule_show_as_running(browser, dagster_url, page_errors, path, name):
    browser.get(f"{dagster_url}/automation")
    listing = wait_for_text(browser, name, timeout=120)
    assert "raw_dir_sensor" in listing and "daily_rebuild" in listing

    browser.get(f"{dagster_url}/locations/article_claims/{path}")
    text = wait_for_text(browser, "Running", timeout=120)
    assert name in text
    assert _wait_switch(browser) is True
    assert page_errors() == []
