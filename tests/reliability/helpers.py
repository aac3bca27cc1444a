"""Run `python -m dagster_project.cli run` as `make run` does, in temporary folders.

Each case gets its own RAW_DIR, WAREHOUSE_DIR and DAGSTER_HOME (a persistent
instance with the project's dagster.yaml, so the warehouse pool is limited to
one slot as in production).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.pipeline.helpers import query_read_only

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INSTANCE_YAML = PROJECT_ROOT / ".dagster_home" / "dagster.yaml"


@dataclass
class CliCase:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def published(self) -> Path:
        return self.warehouse / "warehouse.duckdb"

    @property
    def work_db(self) -> Path:
        return self.warehouse / ".work" / "pipeline.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(RAW_DIR=str(self.raw), WAREHOUSE_DIR=str(self.warehouse),
                   DAGSTER_HOME=str(self.home), PYTHONUNBUFFERED="1")
        env.update(extra)
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "dagster_project.cli", "run", *args]

    def run(self, *args: str, timeout: float = 900, **extra_env: str):
        """Run the CLI to its end; returns the CompletedProcess (stdout+stderr in .stdout)."""
        return subprocess.run(
            self.command(*args), cwd=PROJECT_ROOT, env=self.env(**extra_env),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
        )

    def start(self, *args: str, log: Path, **extra_env: str) -> subprocess.Popen:
        """Start the CLI in its own process group (as a shell runs `make run`)."""
        fh = open(log, "w")
        return subprocess.Popen(
            self.command(*args), cwd=PROJECT_ROOT, env=self.env(**extra_env),
            stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def query(self, sql: str, params=None) -> list[tuple]:
        return query_read_only(self.published, sql, params)

    def ok_articles(self) -> set[str]:
        return {r[0] for r in self.query(
            "select source_path from marts.dim_articles where status = 'ok'")}

    def statuses(self) -> dict[str, tuple[str, str | None]]:
        return {r[0]: (r[1], r[2]) for r in self.query(
            "select source_path, status, quarantine_reason from marts.dim_articles")}


def new_case(root: Path, samples: Path = PROJECT_ROOT / "raw") -> CliCase:
    case = CliCase(root)
    case.raw.mkdir(parents=True, exist_ok=True)
    for f in samples.iterdir():
        if f.is_file():
            shutil.copy2(f, case.raw / f.name)
    case.home.mkdir(parents=True, exist_ok=True)
    shutil.copy2(INSTANCE_YAML, case.home / "dagster.yaml")
    return case


def clone_case(src: CliCase, root: Path) -> CliCase:
    """A copy of a built case (raw files, warehouse, instance) to mutate."""
    shutil.copytree(src.root, root, symlinks=True)
    return CliCase(root)
