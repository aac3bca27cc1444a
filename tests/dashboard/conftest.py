"""The samples' warehouse (shared with the browser tests) for the dashboard tests."""

import pytest


@pytest.fixture(scope="session")
def marts_dir(samples_warehouse):
    return samples_warehouse.warehouse_dir / "parquet" / "marts"
