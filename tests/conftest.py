"""Shared fixtures: a private copy of raw/ and a private warehouse per test scenario."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = PROJECT_ROOT / "raw"
GOLD_PATH = PROJECT_ROOT / "tests" / "data" / "gold" / "seeds.yaml"


@pytest.fixture(scope="session")
def gold() -> dict:
    import yaml

    return yaml.safe_load(GOLD_PATH.read_text(encoding="utf-8"))


def copy_samples(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for f in SAMPLES_DIR.iterdir():
        if f.is_file():
            shutil.copy2(f, dest / f.name)
    return dest
