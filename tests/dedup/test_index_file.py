"""The clustering index in its own file: the warehouse and the index must never disagree.

DuckDB commits one attached database per transaction, so an update commits the index
file first and the warehouse's cluster tables second, linked by the index generation.
Real DuckDB files and a real killed process: a run killed between the two commits, a
missing, damaged or foreign index file must all lead to a full clustering with the
same clusters as one from scratch, never to an update from an index that does not
describe the warehouse.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import duckdb

from dagster_project.lib import settings
from dagster_project.lib.dedup import assign_clusters, index
from tests.dedup.landing import fresh_warehouse as _fresh
from tests.dedup.landing import land_text as _land
from tests.dedup.test_clusters import ANOTHER_INDEPENDENT, INDEPENDENT, ORIGINAL, PARAPHRASE


def _clusters(con) -> tuple[dict, dict]:
    return (
        dict(con.execute("select article_id, rewrite_cluster_id from raw.article_clusters")
             .fetchall()),
        {(a, i): c for a, i, c in con.execute(
            "select article_id, claim_index, claim_cluster_id from raw.claim_clusters")
         .fetchall()},
    )


def _scratch(tmp_path, texts: dict[str, str]) -> tuple[dict, dict]:
    con = _fresh(tmp_path / "scratch.duckdb", texts)
    try:
        assign_clusters(con)
        return _clusters(con)
    finally:
        con.close()


KILLED_BETWEEN_COMMITS = textwrap.dedent(
    """
    import os, sys
    import duckdb
    from dagster_project.lib.dedup import assign_clusters, index

    def killed(con, generation):  # the process dies once the index is committed
        os._exit(9)

    index.link = killed
    con = duckdb.connect(sys.argv[1])
    assign_clusters(con)
    """
)


def test_a_run_killed_between_the_index_and_warehouse_commits_leads_to_a_full_run(tmp_path):
    texts = {"a": ORIGINAL, "b": INDEPENDENT}
    path = tmp_path / "w.duckdb"
    con = _fresh(path, texts)
    assert assign_clusters(con)["incremental"] is False
    _land(con, "p", PARAPHRASE)  # a rewrite of a arrives
    con.close()
    # the update runs in another process, killed after committing the index only
    done = subprocess.run([sys.executable, "-c", KILLED_BETWEEN_COMMITS, str(path)],
                          cwd=settings.PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    con = duckdb.connect(str(path))
    with index.attached(con, read_only=True):
        index_fp = con.execute("select fingerprint from dd_index.cluster_index_meta").fetchall()
    stored_fp = con.execute("select inputs_fingerprint from raw.cluster_state").fetchall()
    assert index_fp != stored_fp  # the index moved on, the warehouse did not
    stats = assign_clusters(con)
    assert stats["incremental"] is False
    assert "no index" in stats["fallback"]
    texts["p"] = PARAPHRASE
    got = _clusters(con)
    assert got == _scratch(tmp_path, texts)
    assert got[0]["a"] == got[0]["p"]
    # the full run relinked them: the next change is an update again
    _land(con, "c", ANOTHER_INDEPENDENT)
    assert assign_clusters(con)["incremental"] is True
    con.close()


def test_a_missing_or_damaged_index_file_leads_to_a_full_run(tmp_path):
    texts = {"a": ORIGINAL, "b": INDEPENDENT}
    path = tmp_path / "w.duckdb"
    con = _fresh(path, texts)
    assign_clusters(con)
    index_file = tmp_path / "w.cluster_index.duckdb"
    index_file.unlink()
    _land(con, "p", PARAPHRASE)
    texts["p"] = PARAPHRASE
    stats = assign_clusters(con)
    assert stats["incremental"] is False and "no index" in stats["fallback"]
    assert _clusters(con) == _scratch(tmp_path, texts)
    # bytes overwritten: the file is a cache, removed and rebuilt by a full run
    index_file.write_bytes(b"not a database" * 1000)
    _land(con, "c", ANOTHER_INDEPENDENT)
    texts["c"] = ANOTHER_INDEPENDENT
    stats = assign_clusters(con)
    assert stats["incremental"] is False
    (tmp_path / "scratch.duckdb").unlink()
    (tmp_path / "scratch.cluster_index.duckdb").unlink()
    assert _clusters(con) == _scratch(tmp_path, texts)
    con.close()


def test_the_index_of_another_warehouse_is_not_used(tmp_path):
    # two warehouses clustered from the same articles, then one gets the other's index
    # (a copy restored beside the wrong file): generations differ, so a full run
    one = _fresh(tmp_path / "one.duckdb", {"a": ORIGINAL, "b": INDEPENDENT})
    two = _fresh(tmp_path / "two.duckdb", {"a": ORIGINAL, "b": INDEPENDENT})
    assign_clusters(one)
    assign_clusters(two)
    two.close()
    shutil.copy(tmp_path / "two.cluster_index.duckdb", tmp_path / "one.cluster_index.duckdb")
    _land(one, "p", PARAPHRASE)
    stats = assign_clusters(one)
    assert stats["incremental"] is False and "no index" in stats["fallback"]
    one.close()


def test_a_full_run_writes_a_new_index_file_instead_of_growing_the_old_one(tmp_path):
    con = _fresh(tmp_path / "w.duckdb", {"a": ORIGINAL, "b": INDEPENDENT, "p": PARAPHRASE})
    assign_clusters(con)
    index_file = tmp_path / "w.cluster_index.duckdb"
    size = index_file.stat().st_size
    for _ in range(3):
        assert assign_clusters(con, force=True)["incremental"] is False
    assert index_file.stat().st_size <= size
    _land(con, "c", ANOTHER_INDEPENDENT)
    assert assign_clusters(con)["incremental"] is True  # and it is the live index
    con.close()
