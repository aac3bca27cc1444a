"""The shared bookkeeping of the landing tables (lib.warehouse)."""

import os
from pathlib import Path

import duckdb
import jinja2
import pytest

from dagster_project.lib.ingest.inventory import sync_inventory
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


def test_inventory_records_new_touched_removed_and_returning_files(tmp_path):
    # The inventory writes its rows in one statement per kind (not one per file):
    # each kind still lands as before.
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (raw / name).write_text(f"Article {name}.\n" * 20, encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))

    def files():
        return {p: (status, needs, size, first) for p, status, needs, size, first in con.execute(
            "select source_path, status, needs_check, size_bytes, first_seen_at from raw.files"
        ).fetchall()}

    stats = sync_inventory(con, raw)
    assert sorted(stats.new_or_changed) == ["a.txt", "b.txt", "c.txt"]
    first = files()
    assert {p: v[:3] for p, v in first.items()} == {
        p: ("pending", True, (raw / p).stat().st_size) for p in ("a.txt", "b.txt", "c.txt")}
    con.execute("update raw.files set status = 'ok', needs_check = false")

    (raw / "c.txt").unlink()
    st = (raw / "b.txt").stat()
    os.utime(raw / "b.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    stats = sync_inventory(con, raw)
    assert stats.new_or_changed == ["b.txt"] and stats.removed == ["c.txt"]
    now = files()
    assert now["a.txt"][:2] == ("ok", False)
    assert now["b.txt"][:2] == ("ok", True)  # read again by the clean step; status kept
    assert now["c.txt"][0] == "removed"

    (raw / "c.txt").write_text("Back again, longer than before.\n" * 30, encoding="utf-8")
    stats = sync_inventory(con, raw)
    assert stats.new_or_changed == ["c.txt"]
    back = files()["c.txt"]
    assert back[:3] == ("pending", True, (raw / "c.txt").stat().st_size)
    assert back[3] == first["c.txt"][3]  # first seen when it first arrived
    con.close()
