"""How the dbt project tests its data, on the real warehouse built from the samples.

Non-null columns: contract constraints on the marts, one data test per model elsewhere.
Fixed value lists of mart columns: CHECK constraints, not accepted_values tests.

A not_null data test per column was one dbt node (and one Dagster check event)
each, 155 of them per build: most of an incremental build's node count. The
marts now declare their non-null columns as contract constraints, which DuckDB
enforces on every write; staging, intermediate and seed tables get one
``not_null_columns`` test per model. The same for the marts' fixed value lists
(status, reason, event_type, ...): 13 accepted_values tests became CHECK
constraints of the contract, and the marts' 15 unique tests (one column or a
combination) PRIMARY KEY and UNIQUE constraints, which BI tools read as the
tables' keys.

Spans: one generic ``span_matches_body`` test per table with spans; it looks at
every article unless the invocation is a build that changed some (then at those).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib import settings
from tests.pipeline.helpers import query_read_only

MANIFEST = settings.DBT_PROJECT_DIR / "target" / "manifest.json"


def _manifest() -> dict:
    return json.loads(MANIFEST.read_text())


def _declared_not_null(manifest: dict) -> dict[str, set[str]]:
    """Mart -> the columns its YAML declares not null (contract constraints)."""
    out: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != "marts":
            continue
        out[node["name"]] = {
            name for name, col in node["columns"].items()
            if any(c["type"] == "not_null" for c in col.get("constraints", []))
        }
    return out


def _work_copy(samples_warehouse, dest: Path) -> Path:
    work = samples_warehouse.warehouse_dir / ".work" / "pipeline.duckdb"
    copy = dest / "work.duckdb"
    shutil.copyfile(work, copy)
    wal = work.with_name(work.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    return copy


def _dbt_test(select: str, database: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run(
        [str(dbt), "test", "--select", select,
         "--vars", json.dumps({"duckdb_path": str(database)}), "--profiles-dir", ".",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=settings.DBT_PROJECT_DIR, capture_output=True, text=True,
    )


def _failed(tmp_path: Path) -> list[str]:
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    return [r["unique_id"] for r in results if r["status"] == "fail"]


def _declared_checks(manifest: dict) -> dict[tuple[str, str], str]:
    """(mart, column) -> the CHECK expression its YAML declares."""
    return {
        (node["name"], name): c["expression"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
        for name, col in node["columns"].items()
        for c in col.get("constraints", [])
        if c["type"] == "check"
    }


def test_marts_state_their_value_lists_as_check_constraints_not_tests():
    manifest = _manifest()
    tests_on_marts = [
        n for n in manifest["nodes"].values()
        if n["resource_type"] == "test"
        and (n.get("test_metadata") or {}).get("name") == "accepted_values"
        and any(manifest["nodes"][d]["schema"] == "marts" for d in n["depends_on"]["nodes"])
    ]
    assert tests_on_marts == []
    assert len(_declared_checks(manifest)) >= 13


def test_mart_check_constraints_reach_duckdb(samples_warehouse):
    declared = _declared_checks(_manifest())
    rows = query_read_only(
        samples_warehouse.published,
        "select table_name, constraint_column_names, constraint_text from duckdb_constraints() "
        "where schema_name = 'marts' and constraint_type = 'CHECK'",
    )
    enforced = {(table, columns[0]): text for table, columns, text in rows}
    assert enforced.keys() == declared.keys()
    for key, text in enforced.items():
        # DuckDB prints the expression back normalised: compare the listed values.
        values = sorted(v.strip(" '") for v in declared[key].split(" in (", 1)[1].rstrip(")").split(","))
        assert all(f"'{v}'" in text for v in values), (key, text)


def test_duckdb_rejects_a_null_in_a_mart_key_and_a_value_off_a_marts_list(
        samples_warehouse, tmp_path):
    copy = _work_copy(samples_warehouse, tmp_path)
    con = duckdb.connect(str(copy))
    try:
        with pytest.raises(duckdb.ConstraintException):
            con.execute("update marts.fct_figures set figure_id = null")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("update marts.dim_articles set status = 'deleted'")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("update marts.removed_blocks set reason = 'sidebar'")
        # A null passes the list (as accepted_values passed it): nullability is its own constraint.
        con.execute("update marts.dim_articles set quarantine_cause = null")
    finally:
        con.close()


def test_no_column_keeps_a_per_column_not_null_test():
    tests = [n for n in _manifest()["nodes"].values() if n["resource_type"] == "test"]
    names = {(n.get("test_metadata") or {}).get("name") for n in tests}
    assert "not_null" not in names
    assert "not_null_columns" in names


def test_mart_columns_declared_not_null_are_not_null_in_duckdb(samples_warehouse):
    declared = _declared_not_null(_manifest())
    assert sum(map(len, declared.values())) >= 50  # every mart states its keys and measures
    rows = query_read_only(
        samples_warehouse.published,
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'marts' and not is_nullable",
    )
    enforced: dict[str, set[str]] = {}
    for table, column in rows:
        enforced.setdefault(table, set()).add(column)
    for mart, columns in declared.items():
        assert enforced.get(mart, set()) == columns, mart

def _declared_keys(manifest: dict) -> set[tuple[str, str, tuple[str, ...]]]:
    """(mart, PRIMARY KEY or UNIQUE, columns) its YAML declares, on a column or the model."""
    kinds = {"primary_key": "PRIMARY KEY", "unique": "UNIQUE"}
    out = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != "marts":
            continue
        for name, col in node["columns"].items():
            for c in col.get("constraints", []):
                if c["type"] in kinds:
                    out.add((node["name"], kinds[c["type"]], (name,)))
        for c in node.get("constraints", []):
            if c["type"] in kinds:
                out.add((node["name"], kinds[c["type"]], tuple(c["columns"])))
    return out


def test_marts_state_their_keys_as_constraints_not_tests():
    manifest = _manifest()
    marts = {n["name"] for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["schema"] == "marts"}
    key_tests = [
        n["name"] for n in manifest["nodes"].values()
        if n["resource_type"] == "test"
        and (n.get("test_metadata") or {}).get("name") in ("unique", "unique_combination_of_columns")
        and any(manifest["nodes"][d]["schema"] == "marts" for d in n["depends_on"]["nodes"])
    ]
    assert key_tests == []
    keys = _declared_keys(manifest)
    primary = [mart for mart, kind, _ in keys if kind == "PRIMARY KEY"]
    assert sorted(primary) == sorted(marts)  # one primary key per mart
    assert ("fct_claims", "UNIQUE", ("article_id", "claim_index")) in keys


def test_mart_key_constraints_reach_duckdb(samples_warehouse):
    rows = query_read_only(
        samples_warehouse.published,
        "select table_name, constraint_type, constraint_column_names from duckdb_constraints() "
        "where schema_name = 'marts' and constraint_type in ('PRIMARY KEY', 'UNIQUE')",
    )
    assert {(table, kind, tuple(columns)) for table, kind, columns in rows} == _declared_keys(
        _manifest())


def test_duckdb_rejects_a_duplicate_mart_key(samples_warehouse, tmp_path):
    copy = _work_copy(samples_warehouse, tmp_path)
    con = duckdb.connect(str(copy))
    try:
        for mart in ("fct_claims", "bridge_event_actors", "dim_articles"):
            with pytest.raises(duckdb.ConstraintException):
                con.execute(f"insert into marts.{mart} select * from marts.{mart} limit 1")
        # The second key of a mart: another claim id at an existing (article, index).
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into marts.fct_claims select * replace ('x' || claim_id as claim_id) "
                        "from marts.fct_claims limit 1")
    finally:
        con.close()


def test_not_null_columns_test_fails_on_a_null_in_a_landing_column(samples_warehouse, tmp_path):
    copy = _work_copy(samples_warehouse, tmp_path)
    con = duckdb.connect(str(copy))
    # The landing table refuses nulls itself; lift that to see what the test catches.
    con.execute("alter table raw.claims alter column text drop not null")
    con.execute("update raw.claims set text = null where claim_index = 0")
    con.close()
    proc = _dbt_test("stg_raw__claims,test_name:not_null_columns", copy, tmp_path)
    assert proc.returncode != 0, proc.stdout[-3000:]
    failed = _failed(tmp_path)
    assert len(failed) == 1 and "not_null_columns_stg_raw__claims" in failed[0], failed


def test_span_test_outside_a_build_checks_every_article(samples_warehouse, tmp_path):
    copy = _work_copy(samples_warehouse, tmp_path)
    proc = _dbt_test("test_name:span_matches_body", copy, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert sum(r["unique_id"].startswith("test.") for r in results) == 4

    # One claim of the last article (by id) now points one character off.
    con = duckdb.connect(str(copy))
    con.execute("""
        update marts.fct_claims set char_start = char_start + 1
        where claim_id = (select max(claim_id) from marts.fct_claims
                          where article_id = (select max(article_id) from marts.fct_claims))
    """)
    con.close()
    proc = _dbt_test("test_name:span_matches_body", copy, tmp_path)
    assert proc.returncode != 0
    failed = _failed(tmp_path)
    assert len(failed) == 1 and "span_matches_body_fct_claims_text" in failed[0], failed
