"""A warehouse built once by the CLI on the samples, cloned by the tests that break it."""

import pytest

from tests.reliability.helpers import CliCase, new_case


@pytest.fixture(scope="session")
def built_case(tmp_path_factory) -> CliCase:
    case = new_case(tmp_path_factory.mktemp("built_cli"))
    proc = case.run()
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert len(case.ok_articles()) == 5
    return case
