"""Landing an article as the clean and extract steps leave it, for the clustering tests."""

from __future__ import annotations

import duckdb

from dagster_project.lib import warehouse


def land_article(
    con, article_id: str, body: str, claims: list[str] | None, status: str = "ok"
) -> None:
    """Replace ``article_id``'s file, article and claims rows: ``body`` as its cleaned
    text and each of ``claims`` (found in order in the body) as a claim."""
    warehouse.delete_article_rows(con, article_id, ("raw.articles", "raw.claims"))
    con.execute("delete from raw.files where article_id = ?", [article_id])
    con.execute(
        "insert into raw.files (source_path, article_id, status) values (?, ?, ?)",
        [article_id + ".txt", article_id, status],
    )
    con.execute(
        "insert into raw.articles (article_id, source_path, content_hash, detected_format,"
        " body_text, body_key) values (?, ?, '', 'text', ?, '')",
        [article_id, article_id + ".txt", body],
    )
    if not claims:
        return
    pos, starts, ends = 0, [], []
    for sentence in claims:
        start = body.index(sentence, pos)
        pos = start + len(sentence)
        starts.append(start)
        ends.append(pos)
    con.execute(
        "insert into raw.claims (article_id, claim_index, char_start, char_end, text,"
        " assertion) select ?, unnest(?::integer[]), unnest(?::integer[]),"
        " unnest(?::integer[]), unnest(?::varchar[]), 'asserted'",
        [article_id, list(range(len(claims))), starts, ends, list(claims)],
    )


def land_text(con, article_id: str, text: str, status: str = "ok") -> None:
    """Land ``text`` as an article whose claims are its sentences."""
    from dagster_project.lib.dedup.text import split_sentences

    land_article(con, article_id, text.replace("\n", " ").strip(), split_sentences(text), status)


def fresh_warehouse(path, articles: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """A new DuckDB file at ``path`` with the landing schema and ``articles`` landed."""
    con = duckdb.connect(str(path))
    warehouse.ensure_schema(con)
    for article_id, text in sorted(articles.items()):
        land_text(con, article_id, text)
    return con
