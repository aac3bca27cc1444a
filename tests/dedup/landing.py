"""Landing an article as the clean and extract steps leave it, for the clustering tests."""

from __future__ import annotations

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
