"""The change log of incremental builds (int_article_changes) covers every landing table
an article contributes rows to: a table left out of its list would let an article's
change go unseen by an incremental build."""

import json
from pathlib import Path

import duckdb

from dagster_project.defs.dbt.assets import dbt_project
from dagster_project.lib import warehouse


def _manifest() -> dict:
    return json.loads(Path(dbt_project().manifest_path).read_text(encoding="utf-8"))


def test_every_landing_table_keyed_by_article_feeds_the_change_log():
    con = duckdb.connect()
    warehouse.ensure_schema(con)
    keyed = {t for (t,) in con.execute(
        "select table_name from duckdb_columns() where schema_name = 'raw'"
        " and column_name = 'article_id'").fetchall()}
    manifest = _manifest()
    sources = {s["unique_id"]: s["name"] for s in manifest["sources"].values()
               if s["source_name"] == "raw"}
    # Which staging model reads each source table.
    staged = {
        sources[dep]: uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        for dep in node["depends_on"]["nodes"] if dep in sources
    }
    changes = set(manifest["nodes"]["model.articles.int_article_changes"]["depends_on"]["nodes"])
    dbt_keyed = keyed & set(sources.values())
    assert {"files", "articles", "claims", "claim_clusters"} <= dbt_keyed  # the test sees them
    missing = sorted(t for t in dbt_keyed if staged.get(t) not in changes)
    assert missing == [], f"landing tables keyed by article not in int_article_changes: {missing}"
