import pytest

from dagster_project.lib.extract import extract_article


@pytest.fixture(scope="session")
def extract():
    return extract_article
