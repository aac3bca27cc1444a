"""Entry point for `dagster dev`, `dg` and the tests: everything under ``defs/``."""

from pathlib import Path

import dagster as dg

from dagster_project import instance_storage
from dagster_project.lib import runtime

# Dagster's run workers import this module: they get the CLI's collector settings,
# and an event log that keeps its SQLite connections (instance_storage says why).
runtime.tune_gc()
instance_storage.keep_connections()

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def load_definitions() -> dg.Definitions:
    # Resources read RAW_DIR/WAREHOUSE_DIR when the definitions load.
    return dg.components.load_from_defs_folder(path_within_project=Path(__file__).resolve().parent)


defs = load_definitions()
