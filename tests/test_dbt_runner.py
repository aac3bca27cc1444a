"""dbt run inside this process (lib/dbt_runner): events while it runs, a failure
raised with dbt's own message, and the DuckDB file released either way."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dagster_project.lib import dbt_runner


def _project(root: Path, test_sql: str) -> Path:
    """A two-model dbt project on a DuckDB file under ``root``, with one data test."""
    (root / "models").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "dbt_project.yml").write_text(textwrap.dedent("""\
        name: tiny
        version: "1.0.0"
        config-version: 2
        profile: tiny
        flags:
          send_anonymous_usage_stats: false
        models:
          tiny:
            +materialized: table
    """))
    (root / "profiles.yml").write_text(textwrap.dedent(f"""\
        tiny:
          target: dev
          outputs:
            dev:
              type: duckdb
              path: "{root / 'tiny.duckdb'}"
              threads: 2
    """))
    (root / "models" / "numbers.sql").write_text("select range as n from range(5)\n")
    (root / "models" / "evens.sql").write_text("select n from {{ ref('numbers') }} where n % 2 = 0\n")
    (root / "tests" / "evens_are_even.sql").write_text(test_sql)
    return root


def _other_process_can_write(database: Path) -> subprocess.CompletedProcess:
    code = f"import duckdb; duckdb.connect({str(database)!r}).execute('create table probe(x int)')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def _build(project: Path) -> list[dict]:
    return list(dbt_runner.build_events(
        ["build"], project_dir=project, profiles_dir=project, target_path=project / "target",
    ))


def test_a_build_streams_each_node_result_and_releases_the_database(tmp_path):
    project = _project(tmp_path / "p", "select n from {{ ref('evens') }} where n % 2 = 1\n")
    events = _build(project)

    results = {e["data"]["node_info"]["unique_id"]: e["info"]["name"]
               for e in events if e["info"]["name"] in ("LogModelResult", "LogTestResult")}
    assert results == {
        "model.tiny.numbers": "LogModelResult",
        "model.tiny.evens": "LogModelResult",
        "test.tiny.evens_are_even": "LogTestResult",
    }
    # The same process still runs, and another process can write the file dbt built.
    probe = _other_process_can_write(project / "tiny.duckdb")
    assert probe.returncode == 0, probe.stderr
    assert (project / "target" / "dbt.log").exists()  # the debug log, as the CLI writes it


def test_a_failing_data_test_raises_with_dbts_message_and_releases_the_database(tmp_path):
    project = _project(tmp_path / "p", "select n from {{ ref('evens') }} where n < 3\n")
    seen: list[dict] = []
    with pytest.raises(dbt_runner.DbtBuildFailed) as failure:
        for event in dbt_runner.build_events(
            ["build"], project_dir=project, profiles_dir=project, target_path=project / "target"
        ):
            seen.append(event)
    # The models' results came through before the failure was raised.
    assert {e["data"]["node_info"]["unique_id"] for e in seen
            if e["info"]["name"] == "LogModelResult"} == {"model.tiny.numbers", "model.tiny.evens"}
    # The first line names what failed (what the CLI prints for a failed step).
    assert str(failure.value).splitlines()[0] == (
        "dbt build failed: Failure in test evens_are_even (tests/evens_are_even.sql)")
    assert "Got 2 results" in str(failure.value)
    assert "dbt.log" in str(failure.value)
    assert "\x1b[" not in str(failure.value)  # no terminal colour codes
    probe = _other_process_can_write(project / "tiny.duckdb")
    assert probe.returncode == 0, probe.stderr


def test_broken_sql_fails_the_build_with_the_database_error(tmp_path):
    project = _project(tmp_path / "p", "select n from {{ ref('evens') }} where n % 2 = 1\n")
    (project / "models" / "evens.sql").write_text("select n from {{ ref('numbers') }} where nope\n")
    with pytest.raises(dbt_runner.DbtBuildFailed) as failure:
        _build(project)
    assert str(failure.value).splitlines()[0] == (
        "dbt build failed: Failure in model evens (models/evens.sql)")
    assert 'column "nope" not found' in str(failure.value)
    assert _other_process_can_write(project / "tiny.duckdb").returncode == 0
