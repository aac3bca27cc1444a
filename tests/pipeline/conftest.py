"""The pipeline run once on the samples, shared by the end-to-end tests."""

import pytest

from tests.conftest import copy_samples
from tests.pipeline.helpers import Workspace


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Workspace:
    """One full run on a copy of the samples plus three bad files."""
    root = tmp_path_factory.mktemp("built")
    raw = copy_samples(root / "raw")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "nested").mkdir()
    (raw / "nested" / "scan.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (raw / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    ws = Workspace(raw, root / "warehouse")
    result = ws.run()
    assert result.success, "the first full run failed"
    return ws


