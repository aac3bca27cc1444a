"""Clustering after a seeded sequence of edits equals a from-scratch clustering.

A small synthetic corpus (the benchmark's generator: shared vocabulary, stock facts
restated by independent articles, planted rewrites) lands in a real DuckDB file;
random edits (add, edit, delete, quarantine, rewrite of an existing article) each
run ``assign_clusters`` on that warehouse, which updates the clustering from the
changed article against the index kept in the warehouse (lib.dedup.incremental) and
rewrites only the articles whose clusters changed. After every step the cluster
tables, ids included, must equal those of a fresh warehouse holding the same articles
(a full clustering), and ``raw.cluster_changes`` must name exactly the articles whose
rows changed.
"""

from __future__ import annotations

import random

import duckdb
import pytest

from dagster_project.lib import warehouse
from dagster_project.lib.dedup import align, assign_clusters, candidates, incremental
from scripts.bench_clusters import Vocabulary, build_corpus, make_sentence, paraphrase, render
from tests.dedup.landing import land_article


def _land(con, article_id: str, sentences: list[str], status: str = "ok") -> None:
    land_article(con, article_id, " ".join(sentences), sentences, status)


def _tables(con) -> tuple[dict, dict]:
    articles = dict(
        con.execute("select article_id, rewrite_cluster_id from raw.article_clusters").fetchall()
    )
    claims = {
        (a, i): c
        for a, i, c in con.execute(
            "select article_id, claim_index, claim_cluster_id from raw.claim_clusters"
        ).fetchall()
    }
    return articles, claims


def _from_scratch(path, corpus: dict[str, tuple[list[str], str]]) -> tuple[dict, dict]:
    con = duckdb.connect(str(path))
    try:
        warehouse.ensure_schema(con)
        for article_id, (sentences, status) in sorted(corpus.items()):
            _land(con, article_id, sentences, status)
        assert assign_clusters(con)["incremental"] is False  # a fresh warehouse: full
        return _tables(con)
    finally:
        con.close()


def _by_article(articles: dict, claims: dict) -> dict[str, tuple]:
    out: dict[str, list] = {a: [c, []] for a, c in articles.items()}
    for (a, i), c in claims.items():
        out.setdefault(a, [None, []])[1].append((i, c))
    return {a: (c, sorted(cl)) for a, (c, cl) in out.items()}


@pytest.mark.parametrize("seed", [1, 2])
def test_clusters_after_random_edits_equal_a_from_scratch_clustering(tmp_path, seed):
    _random_edits(tmp_path, seed)


CROWDING_CAPS = {
    # band buckets and number keys reach and leave caps of 3 all the time, so updates
    # must check the pairs of their members again
    "bucket caps": ([(candidates, "MAX_BUCKET"), (incremental, "MAX_BUCKET"),
                     (candidates, "MAX_NUMBER_BUCKET"), (incremental, "MAX_NUMBER_BUCKET")],
                    3, 3, "sentences_rechecked"),
    # a sentence in more than MAX_GROUP_FOR_PAIRS articles links none of them: with a
    # cap of 2 some updates push sentences over it, and every holder is aligned again
    # (the test below makes it happen on purpose)
    "verbatim cap": ([(align, "MAX_GROUP_FOR_PAIRS"), (incremental, "MAX_GROUP_FOR_PAIRS")],
                     2, 4, "verbatim_crossed"),
}


@pytest.mark.parametrize("caps", CROWDING_CAPS)
def test_clusters_equal_from_scratch_when_tiny_caps_are_crossed(tmp_path, monkeypatch, caps):
    targets, value, seed, counter = CROWDING_CAPS[caps]
    for module, name in targets:
        monkeypatch.setattr(module, name, value)
    updates = _random_edits(tmp_path, seed)
    assert sum(u[counter] for u in updates) > 0


def test_a_third_copy_unlinks_the_first_two_and_its_removal_links_them_again(
    tmp_path, monkeypatch
):
    """Past MAX_GROUP_FOR_PAIRS copies a sentence links no articles: a third near-copy
    of an article takes away the pair its first two copies made, though neither of
    them changed, and removing it brings the pair back."""
    monkeypatch.setattr(align, "MAX_GROUP_FOR_PAIRS", 2)
    monkeypatch.setattr(incremental, "MAX_GROUP_FOR_PAIRS", 2)
    corpus = {aid: (sentences, "ok") for aid, sentences, _ in build_corpus(30, seed=9)}
    first = sorted(corpus)[0]
    original = corpus[first][0]
    # near-copies, not byte copies (those are linked by their digest alone)
    corpus["copy1"] = (original[1:], "ok")
    con = duckdb.connect(str(tmp_path / "incremental.duckdb"))
    warehouse.ensure_schema(con)
    for aid, (sentences, status) in sorted(corpus.items()):
        _land(con, aid, sentences, status)
    assign_clusters(con)
    clusters = _tables(con)[0]
    assert clusters["copy1"] == clusters[first]
    for step, status in enumerate(["ok", "removed"]):
        corpus["copy2"] = (original[:1] + original[2:], status)
        _land(con, "copy2", *corpus["copy2"])
        stats = assign_clusters(con)
        assert stats["incremental"] is True and stats["verbatim_crossed"] > 0
        got = _tables(con)
        assert got == _from_scratch(tmp_path / f"scratch{step}.duckdb", corpus)
        assert (got[0]["copy1"] == got[0][first]) is (status == "removed")
    con.close()


def _random_edits(tmp_path, seed) -> list[dict]:
    """Run the seeded edits, comparing with a from-scratch clustering after each; returns
    each update's stats (e.g. how many sentences it checked again because their
    buckets crossed a cap)."""
    rng = random.Random(seed)
    vocab = Vocabulary(random.Random(seed), n_words=3000, n_topics=40)
    corpus: dict[str, tuple[list[str], str]] = {
        aid: (sentences, "ok") for aid, sentences, _ in build_corpus(60, seed=seed)
    }
    con = duckdb.connect(str(tmp_path / "incremental.duckdb"))
    warehouse.ensure_schema(con)
    for aid, (sentences, status) in corpus.items():
        _land(con, aid, sentences, status)
    assign_clusters(con)
    schedule = ["add", "edit", "delete", "quarantine", "rewrite", "rewrite"] * 2
    rng.shuffle(schedule)
    joined = 0  # rewrites that joined their original's cluster
    compared: list[int] = []
    updates: list[dict] = []
    for step, kind in enumerate(schedule):
        live = sorted(a for a, (_, st) in corpus.items() if st == "ok")
        target = rng.choice(live)
        sentences = corpus[target][0]
        touched = f"new{step:02d}" if kind in ("add", "rewrite") else target
        if kind == "add":
            topic = rng.choice(vocab.topics)
            new = [render(make_sentence(vocab, rng, topic)) for _ in range(rng.randint(20, 35))]
            corpus[touched] = (new, "ok")
        elif kind == "edit":  # a few sentences reworded, one dropped
            edited = [
                render(paraphrase(vocab, rng, s.rstrip(".").split(), 0.5))
                if rng.random() < 0.2 else s
                for s in sentences
            ]
            del edited[rng.randrange(len(edited))]
            corpus[target] = (edited, "ok")
        elif kind == "delete":
            corpus[target] = (sentences, "removed")
        elif kind == "quarantine":
            corpus[target] = ([], "quarantined")
        else:  # a rewrite of an existing article: a near-copy or a paraphrase
            strength = rng.choice([0.0, 0.3])
            derived = [
                render(paraphrase(vocab, rng, s.rstrip(".").split(), strength))
                if strength or rng.random() < 0.2 else s
                for s in sentences if rng.random() > 0.1
            ]
            corpus[touched] = (derived, "ok")
        before = _by_article(*_tables(con))
        _land(con, touched, *corpus[touched])
        stats = assign_clusters(con)
        assert stats["skipped"] is False
        # the update took the incremental path: one article re-read, compared with the
        # few it shares sentences with, not the whole corpus re-clustered
        assert stats["incremental"] is True, stats.get("fallback")
        assert stats["articles_changed_input"] == 1
        assert stats["articles_compared"] < len(corpus) // 2
        compared.append(stats["articles_compared"])
        updates.append(stats)
        got = _tables(con)
        expected = _from_scratch(tmp_path / f"scratch{step}.duckdb", corpus)
        assert got[0] == expected[0], f"step {step} ({kind}): article clusters differ"
        assert got[1] == expected[1], f"step {step} ({kind}): claim clusters differ"
        # raw.cluster_changes: exactly the articles whose rows changed in this step
        after = _by_article(*got)
        moved = {a for a in before.keys() | after.keys() if before.get(a) != after.get(a)}
        last = con.execute(
            "select article_id from raw.cluster_changes "
            "where changed_at = (select max(changed_at) from raw.cluster_changes)"
        ).fetchall()
        assert stats["articles_changed"] == len(moved)
        if moved:
            assert {r[0] for r in last} == moved
        if kind == "rewrite":
            joined += got[0][touched] == got[0][target]
    con.close()
    assert joined >= 1  # the sequence really merged clusters, not only added singletons
    assert max(compared) > 0  # some changed article met others (sentences in common)
    return updates
