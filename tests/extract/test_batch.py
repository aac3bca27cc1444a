"""A chunk extracted with one model pass gives what each article gives alone."""

from dagster_project.lib.clean import clean_document
from dagster_project.lib.extract import extract_article, extract_articles
from tests.conftest import SAMPLES_DIR


def test_a_batch_extracts_what_each_article_extracts_alone():
    cleaned = [clean_document(p.read_text(encoding="utf-8"), "text")
               for p in sorted(SAMPLES_DIR.glob("*.txt"))]
    items = [(c.body_text, c.published_date, c.truncated_from) for c in cleaned]
    body = items[0][0]
    # An empty body and a truncated one sit between the others: no model pass for the
    # empty one, and the Docs stay paired with their own bodies.
    items[2:2] = [("", None, None), (body, items[0][1], body.index(".", 2000) + 1)]
    batch = extract_articles(items)
    alone = [extract_article(b, published_date=p, truncated_from=t) for b, p, t in items]
    assert batch == alone
    assert batch[2].claims == () and len(batch[0].claims) > len(batch[3].claims) > 0
