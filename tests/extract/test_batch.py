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


def test_extraction_waits_while_another_thread_uses_the_model():
    """A cluster worker's warm-up (lib.warm_up) runs on a background thread; the first
    extraction task must not use the spaCy pipeline at the same time."""
    import threading

    from dagster_project.lib import extract

    holding, release, order = threading.Event(), threading.Event(), []

    def warm_up_in_progress():
        with extract._MODEL_USE:
            holding.set()
            release.wait(10)
            order.append("warm-up done")

    def first_task():
        extract_articles([("Officials said exports rose 5% in 2024.", None, None)])
        order.append("extracted")

    warm = threading.Thread(target=warm_up_in_progress)
    warm.start()
    assert holding.wait(10)
    task = threading.Thread(target=first_task)
    task.start()
    task.join(0.5)
    assert task.is_alive() and order == []  # waiting for the model
    release.set()
    warm.join(10)
    task.join(30)
    assert order == ["warm-up done", "extracted"]
