"""Entry point for `dagster dev`, `dg` and the tests: everything under ``defs/``."""

from pathlib import Path

import dagster as dg

import dagster_project.defs


def load_definitions() -> dg.Definitions:
    return dg.components.load_defs(
        dagster_project.defs, project_root=Path(__file__).resolve().parent.parent
    )


defs = load_definitions()
