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


# The three bad files the pipeline quarantines next to the five samples.
BAD_FILES = {
    "empty.txt": b"",
    "nested/scan.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
    "notes.docx": b"PK\x03\x04 not an article",
}


@pytest.fixture(scope="session")
def samples_warehouse(tmp_path_factory):
    """The real pipeline run once on the five samples plus three bad files (read-only use)."""
    from tests.pipeline.helpers import Workspace

    root = tmp_path_factory.mktemp("samples_wh")
    raw = copy_samples(root / "raw")
    for name, content in BAD_FILES.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(content)
    ws = Workspace(raw, root / "warehouse")
    assert ws.run().success, "the pipeline run on the samples failed"
    return ws
