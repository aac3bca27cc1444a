"""`make dashboard-serve`: run the dashboard with Streamlit on a loopback port.

Usage: python -m dashboard.serve [--port N] [--marts DIR]

One launcher for the Makefile and the browser tests, so both serve the app the
same way: loopback only, no usage statistics sent, no "deploy" toolbar, no
browser opened on the server.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard.data import marts_dir

APP = Path(__file__).resolve().with_name("app.py")


def command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
        "--theme.base", "light",
    ]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8501))
    parser.add_argument("--marts", type=Path, default=None,
                        help="folder of mart Parquet files (default: $WAREHOUSE_DIR/parquet/marts)")
    args = parser.parse_args(argv)
    os.environ["DASHBOARD_MARTS_DIR"] = str((args.marts or marts_dir()).resolve())
    print(f"dashboard: http://127.0.0.1:{args.port}  (marts from {os.environ['DASHBOARD_MARTS_DIR']})",
          flush=True)
    os.execv(sys.executable, command(args.port))


if __name__ == "__main__":
    main(sys.argv[1:])
