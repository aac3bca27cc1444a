"""The shared bookkeeping of the landing tables (lib.warehouse)."""

from pathlib import Path

import duckdb
import jinja2
import pytest

from dagster_project.lib.warehouse import stable_id

MACRO = Path(__file__).resolve().parents[1] / "dbt" / "macros" / "surrogate_key.sql"


def _render_surrogate_key(columns: list[str]) -> str:
    """The SQL expression dbt's ``surrogate_key`` macro produces for ``columns``."""
    env = jinja2.Environment()
    module = env.from_string(MACRO.read_text(encoding="utf-8")).module
    return str(module.surrogate_key(columns))


@pytest.mark.parametrize(
    "parts",
    [
        ("a1b2c3d4e5f60718",),
        ("a1b2c3d4e5f60718", 7),
        ("Vladimir Putin",),
        ("Téhéran – 伊朗", None, 0),
        ("", None),
        (None, ""),
    ],
)
def test_python_stable_id_equals_the_dbt_surrogate_key(parts):
    columns = [f"c{i}" for i in range(len(parts))]
    expr = _render_surrogate_key(columns)
    select = ", ".join(f"?::{'integer' if isinstance(p, int) else 'varchar'} as c{i}"
                       for i, p in enumerate(parts))
    (in_sql,) = duckdb.execute(f"select {expr} from (select {select})", list(parts)).fetchone()
    assert in_sql == stable_id(*parts)


def test_null_and_empty_parts_give_different_ids():
    assert stable_id(None, "a") != stable_id("", "a")
