"""Build a small development DuckDB from the sample articles, without Dagster.

Runs today's cleaning and extraction on every file of RAW_DIR (default raw/),
writes the landing tables of schema ``raw`` with ``lib.store`` (plus a
``raw.files`` inventory row per file), then computes the rewrite and claim
clusters. The dbt project can then be built against it:

    .venv/bin/python scripts/build_dev_db.py /tmp/dev.duckdb
    cd dbt && DBT_DUCKDB_PATH=/tmp/dev.duckdb ../.venv/bin/dbt build --profiles-dir .

``--empty`` creates the schema only (the "empty but schema'd" case dbt must pass).
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import pathlib
import sys

import duckdb

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project.lib import store  # noqa: E402
from dagster_project.lib.clean import clean_document  # noqa: E402
from dagster_project.lib.dedup import assign_clusters  # noqa: E402
from dagster_project.lib.extract import extract_article  # noqa: E402


def article_id_for(source_path: str) -> str:
    # Same derivation as the orchestrator: stable per relative path.
    return hashlib.sha256(source_path.encode()).hexdigest()[:16]


def build(db_path: str, raw_dir: pathlib.Path, empty: bool = False) -> dict:
    if os.path.exists(db_path):
        os.remove(db_path)
    con = duckdb.connect(db_path)
    store.ensure_schema(con)
    n = 0
    if not empty:
        for path in sorted(raw_dir.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(raw_dir).as_posix()
            data = path.read_bytes()
            content_hash = hashlib.sha256(data).hexdigest()
            article_id = article_id_for(rel)
            fmt = {".txt": "text", ".html": "html", ".htm": "html"}.get(path.suffix.lower())
            now = store.utcnow()
            status, reason = "ok", None
            if fmt is None:
                status, reason = "quarantined", f"unsupported file type {path.suffix!r}"
            elif not data.strip():
                status, reason = "quarantined", "empty file"
            con.execute("begin")
            if status == "ok":
                text = data.decode("utf-8", errors="replace")
                cleaned = clean_document(text, fmt)
                extraction = extract_article(
                    cleaned.body_text,
                    published_date=cleaned.published_date,
                    truncated_from=cleaned.truncated_from,
                )
                kwargs = {}
                if "body_key" in inspect.signature(store.write_cleaned).parameters:
                    kwargs["body_key"] = hashlib.sha256(cleaned.body_text.encode()).hexdigest()
                store.write_cleaned(
                    con,
                    **kwargs,
                    article_id=article_id,
                    source_path=rel,
                    content_hash=content_hash,
                    detected_format=fmt,
                    article=cleaned,
                )
                store.write_extraction(con, article_id=article_id, extraction=extraction)
                n += 1
            con.execute(
                "insert or replace into raw.files (source_path, article_id, size_bytes,"
                " content_hash, detected_format, encoding, status, quarantine_reason,"
                " first_seen_at, last_changed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    rel,
                    article_id,
                    len(data),
                    content_hash,
                    fmt,
                    "utf-8" if fmt else None,
                    status,
                    reason,
                    now,
                    now,
                ],
            )
            con.execute("commit")
    stats = assign_clusters(con)
    con.close()
    return {"articles": n, **stats}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db_path", nargs="?", default="/tmp/dev.duckdb")
    parser.add_argument("--raw-dir", default=os.environ.get("RAW_DIR", str(ROOT / "raw")))
    parser.add_argument("--empty", action="store_true", help="schema only, no rows")
    args = parser.parse_args()
    print(build(args.db_path, pathlib.Path(args.raw_dir), empty=args.empty))


if __name__ == "__main__":
    main()
