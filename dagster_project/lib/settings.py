"""Where the pipeline reads and writes, resolved from the environment at call time.

``RAW_DIR`` (default ``raw/``) holds the input; ``WAREHOUSE_DIR`` (default
``warehouse/``) the outputs:

- ``warehouse.duckdb``: the published warehouse analysts open read-only;
- ``parquet/<schema>/<table>.parquet``: the marts as files for BI tools;
- ``.work/pipeline.duckdb``: the pipeline's private working database. Only the
  pipeline opens it (one writer at a time), so analysts never block a run.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"


def raw_dir() -> Path:
    return Path(os.environ.get("RAW_DIR") or PROJECT_ROOT / "raw").resolve()


def warehouse_dir() -> Path:
    return Path(os.environ.get("WAREHOUSE_DIR") or PROJECT_ROOT / "warehouse").resolve()


def work_db_path() -> Path:
    return warehouse_dir() / ".work" / "pipeline.duckdb"


def published_db_path() -> Path:
    return warehouse_dir() / "warehouse.duckdb"


def parquet_dir() -> Path:
    return warehouse_dir() / "parquet"
