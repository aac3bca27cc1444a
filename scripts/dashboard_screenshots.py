"""One PNG per dashboard page, taken in headless Chromium (for the README).

Usage: .venv/bin/python scripts/dashboard_screenshots.py OUT_DIR [--marts DIR]

Serves the dashboard over the given marts (default: the published warehouse,
$WAREHOUSE_DIR/parquet/marts) on a free loopback port, opens each page in
Debian's chromium and saves `dashboard-<page>.png`, reduced to a palette so the
files stay small enough to commit.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from dashboard.data import Marts, marts_dir  # noqa: E402
from tests.browser.chromium import start_browser, wait_for_text, wait_streamlit_idle  # noqa: E402
from tests.browser.conftest import free_port  # noqa: E402


def _pages(marts: Path) -> dict[str, tuple[str, str]]:
    m = Marts(marts)
    top = m.figures().iloc[0]["figure_id"]
    m.close()
    return {
        "overview": ("?page=overview", "Quarantine"),
        "facts": ("?page=facts", "Figures ("),
        "mentions": ("?" + urlencode({"page": "mentions", "figure": top}), "Where it is stated"),
        "timeline": ("?page=timeline", "Figures of "),
        "corroboration": ("?page=corroboration", "Rewrite clusters"),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--marts", type=Path, default=None)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)
    marts = (args.marts or marts_dir()).resolve()
    args.out.mkdir(parents=True, exist_ok=True)

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.serve", "--port", str(port), "--marts", str(marts)],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    driver = None
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        driver = start_browser(args.width, args.height)
        from PIL import Image

        for name, (query, expect) in _pages(marts).items():
            driver.get(f"http://127.0.0.1:{port}/{query}")
            wait_for_text(driver, expect, timeout=90)
            wait_streamlit_idle(driver)
            time.sleep(2)  # charts animate in
            path = args.out / f"dashboard-{name}.png"
            driver.save_screenshot(str(path))
            Image.open(path).convert("RGB").quantize(colors=128).save(path, optimize=True)
            print(f"{path} ({path.stat().st_size // 1024} KiB)")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1:])
