"""The pipeline run once on the samples, shared by the end-to-end tests."""

import pytest

from tests.pipeline.helpers import Workspace


@pytest.fixture(scope="session")
def built(samples_warehouse) -> Workspace:
    """One full run on a copy of the samples plus three bad files (the session's
    ``samples_warehouse``; tests that change anything work on ``built.clone(...)``)."""
    return samples_warehouse
