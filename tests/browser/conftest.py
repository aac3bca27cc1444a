"""Browser fixtures: the samples' warehouse, the dashboard and Dagster UI servers, Chromium.

The browser is Debian's `chromium` with its `chromium-driver`. Without them the
tests are skipped with the reason, except under CI (`CI=true`), where a
missing browser is a failure: `.ci/run` installs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.chromium import console_errors, find_chromium, start_browser
from tests.conftest import PROJECT_ROOT


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up:\n{log.read_text()[-3000:]}")


class Server:
    """A subprocess serving HTTP on a loopback port, logging to a file."""

    def __init__(self, argv: list[str], env: dict, log: Path):
        self.log = log
        self._fh = open(log, "wb")  # noqa: SIM115 - closed in stop()
        # A file, not a pipe: a full pipe nobody reads would block the server.
        self.proc = subprocess.Popen(argv, env=env, stdout=self._fh, stderr=subprocess.STDOUT,
                                     cwd=PROJECT_ROOT)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._fh.close()


@pytest.fixture(scope="session")
def chromium_paths():
    found = find_chromium()
    if found is None:
        reason = ("chromium and chromium-driver are not installed "
                  "(apt-get install -y chromium chromium-driver)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; under CI the browser tests must run")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def browser(chromium_paths):
    driver = start_browser()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page_errors(browser):
    """Console errors logged while the test ran (checked by the test itself)."""
    console_errors(browser)  # drain what earlier tests left
    return lambda: console_errors(browser)


@pytest.fixture(scope="session")
def dashboard_url(chromium_paths, samples_warehouse, tmp_path_factory) -> str:
    """`make dashboard-serve`'s launcher on a free port, over the samples' marts."""
    marts = samples_warehouse.warehouse_dir / "parquet" / "marts"
    check = subprocess.run([sys.executable, "-m", "dashboard.check", str(marts)],
                           cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    port = free_port()
    log = tmp_path_factory.mktemp("dashboard") / "streamlit.log"
    server = Server([sys.executable, "-m", "dashboard.serve", "--port", str(port),
                     "--marts", str(marts)], dict(os.environ), log)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", server.proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
