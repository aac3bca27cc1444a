"""Incremental dbt builds give exactly the marts a build from scratch gives.

The real pipeline (in-process Dagster run, real DuckDB file, real dbt) runs on a
copy of the samples through a sequence of changes: a new article that is a
rewrite of 003 with an edited article, then the deletion of the member that
names the rewrite cluster of 000, 001 and 002 (which re-clusters the two left,
files nobody touched). After each run, whose dbt
build is incremental, every mart it published equals, row for row, the marts
of `dbt build --full-refresh` over a copy of the same landing data.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from dagster_project.lib import dbt_incremental, settings
from tests.pipeline.helpers import Workspace, query_read_only


def marts(database: Path) -> dict[str, list[str]]:
    """Every row of every table in schema marts, order-independent."""
    tables = [t for (t,) in query_read_only(
        database,
        "select table_name from duckdb_tables() where schema_name = 'marts' order by 1",
    )]
    return {
        t: sorted(map(repr, query_read_only(database, f'select * from marts."{t}"')))
        for t in tables
    }


def copy_working_database(ws: Workspace, copy: Path) -> Path:
    """A copy of the run's working database (with its WAL) at ``copy``."""
    work = ws.warehouse_dir / ".work" / "pipeline.duckdb"
    shutil.copyfile(work, copy)
    if work.with_name(work.name + ".wal").exists():
        shutil.copyfile(work.with_name(work.name + ".wal"), copy.with_name(copy.name + ".wal"))
    return copy


def full_refresh_marts(ws: Workspace, scratch: Path) -> dict[str, list[str]]:
    """The marts of a from-scratch dbt build over a copy of the run's landing data."""
    scratch.mkdir()
    copy = copy_working_database(ws, scratch / "full.duckdb")
    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run(
        [str(dbt), *dbt_incremental.build_args(copy, full_refresh=True),
         "--profiles-dir", ".", "--target-path", str(scratch / "target"),
         "--log-path", str(scratch / "logs")],
        cwd=settings.DBT_PROJECT_DIR, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    return marts(copy)


def last_changed_articles(ws: Workspace) -> set[str]:
    """Source paths of the articles the last dbt build saw change."""
    con = duckdb.connect(str(ws.warehouse_dir / ".work" / "pipeline.duckdb"), read_only=True)
    try:
        rows = con.execute("""
            select f.source_path
            from intermediate.int_article_changes as c
            join raw.files as f using (article_id)
            where c.changed_by = (
                select changed_by from intermediate.int_article_changes
                order by changed_at desc limit 1
            )
        """).fetchall()
    finally:
        con.close()
    return {Path(p).name for (p,) in rows}


def assert_same_as_full_refresh(ws: Workspace, scratch: Path) -> None:
    incremental = marts(ws.published)
    full = full_refresh_marts(ws, scratch)
    assert set(incremental) == set(full)
    for table in full:
        assert incremental[table] == full[table], f"marts.{table} differs from a full build"


def dim_articles(ws: Workspace, column: str) -> dict[str, str]:
    rows = query_read_only(ws.published, f"select source_path, {column} from marts.dim_articles")
    return {Path(p).name: v for p, v in rows}


def test_incremental_builds_equal_full_refresh_after_add_edit_delete_recluster(
    built: Workspace, tmp_path
):
    ws = built.clone(tmp_path)
    n_files = len(dim_articles(ws, "article_id"))

    # 1. A new article, a light rewrite of 003 (it joins 003's rewrite cluster),
    # and an edited one (other years: its figures' periods and events' dates).
    src = ws.raw_dir / "003_f9f491b155f789e9.txt"
    text = src.read_text(encoding="utf-8")
    for old, new in (("profoundly", "deeply"), ("remarkable", "notable"), ("crucial", "vital")):
        text = text.replace(old, new)
    (ws.raw_dir / "005_rewrite_of_003.txt").write_text(text, encoding="utf-8")
    edited = ws.raw_dir / "004_813ef7fdd0353d74.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("2022", "2021"), encoding="utf-8")
    assert ws.run().success
    changed = last_changed_articles(ws)
    assert {"005_rewrite_of_003.txt", "004_813ef7fdd0353d74.txt"} <= changed
    assert len(changed) < n_files, "the build after two changed files was not incremental"
    clusters = dim_articles(ws, "rewrite_cluster_id")
    assert clusters["005_rewrite_of_003.txt"] == clusters["003_f9f491b155f789e9.txt"]
    assert_same_as_full_refresh(ws, tmp_path / "full1")

    # 2. A deleted article that re-clusters the others: the cluster of 000, 001
    # and 002 is named after its smallest article id, so deleting that member
    # renames the cluster of the two left, files the run did not touch.
    ids = dim_articles(ws, "article_id")
    trio = ["000_0c6179480ab04aa8.txt", "001_9bb483060e943d2a.txt", "002_1adc10c9f5ff94ad.txt"]
    assert len({clusters[name] for name in trio}) == 1
    gone = min(trio, key=lambda name: ids[name])
    (ws.raw_dir / gone).unlink()
    assert ws.run().success
    changed = last_changed_articles(ws)
    after = dim_articles(ws, "rewrite_cluster_id")
    assert dim_articles(ws, "status")[gone] == "removed"
    renamed = [n for n in trio if n != gone and after[n] != clusters[n]]
    assert renamed, "no article was re-clustered by the deletion"
    assert set(renamed) <= changed, "a re-clustered article was not rebuilt"
    assert gone in changed
    assert_same_as_full_refresh(ws, tmp_path / "full2")


FOLLOWERS = ("fct_events", "fct_event_mentions", "bridge_event_actors",
             "fct_figure_mentions", "bridge_figure_actors")


def test_marts_following_a_keyed_model_rebuild_every_row_when_it_was_not_built_incrementally(
    built: Workspace, tmp_path
):
    """A mart that follows a keyed model recomputes the keys that model recomputed
    in the same invocation. Built alone (`dbt run -s fct_events`), it has no such
    record and rebuilds every row: rows lost from it come back, which re-reading
    the last build's record of changed keys would not do."""
    copy = copy_working_database(built, tmp_path / "copy.duckdb")
    expected = {t: rows for t, rows in marts(copy).items() if t in FOLLOWERS}
    con = duckdb.connect(str(copy))
    try:
        for table in FOLLOWERS:
            con.execute(f"delete from marts.{table} where hash(rowid) % 2 = 0")
        lost = {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in FOLLOWERS}
    finally:
        con.close()
    assert all(lost[t] < len(expected[t]) for t in FOLLOWERS)

    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run(
        [str(dbt), "run", "--vars", json.dumps({"duckdb_path": str(copy)}),
         "--select", *FOLLOWERS, "--profiles-dir", ".",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=settings.DBT_PROJECT_DIR, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    after = marts(copy)
    for table in FOLLOWERS:
        assert after[table] == expected[table], f"marts.{table} was not rebuilt"
