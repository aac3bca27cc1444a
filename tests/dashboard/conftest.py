"""The samples' warehouse for the dashboard tests, built once by the real pipeline."""

import pytest

from tests.conftest import copy_samples
from tests.pipeline.helpers import Workspace


@pytest.fixture(scope="session")
def marts_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("dashboard_wh")
    raw = copy_samples(root / "raw")
    (raw / "empty.txt").write_bytes(b"")
    ws = Workspace(raw, root / "warehouse")
    assert ws.run().success, "the pipeline run on the samples failed"
    return ws.warehouse_dir / "parquet" / "marts"
