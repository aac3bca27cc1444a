"""The clustering's index in the warehouse (lib.dedup.index) and the incremental update.

Real DuckDB files: a full clustering writes the index; updates move it. The index after
updates must describe the same corpus as one built from scratch (sentence keys, counts,
verified pairs, rewrite pairs, claim components), and the update must take the
incremental path.
"""

from __future__ import annotations

from dagster_project.lib.dedup import assign_clusters, candidates, incremental, index
from dagster_project.lib.dedup.candidates import BANDS
from dagster_project.lib.dedup.text import split_sentences
from tests.dedup.landing import fresh_warehouse as _fresh
from tests.dedup.landing import land_text as _land
from tests.dedup.test_clusters import ANOTHER_INDEPENDENT, INDEPENDENT, ORIGINAL, PARAPHRASE


def _rewrite_clusters(con) -> dict[str, str]:
    return dict(con.execute(
        "select article_id, rewrite_cluster_id from raw.article_clusters").fetchall())


def _index_by_content(con) -> dict:
    """The index with key ids replaced by the sentences' stable hashes (ids differ between
    a full build and an updated one; what they stand for must not)."""
    with index.attached(con, read_only=True):
        return _read_index(con)


def _read_index(con) -> dict:
    vocab = dict(con.execute("select stem_id, stem from dd_index.cluster_vocab").fetchall())
    hash_of = dict(con.execute("select key_id, key_hash from dd_index.cluster_keys").fetchall())
    keys = {
        h: (n, signed, sorted(vocab[s] for s in stems), nums, dnums)
        for h, n, signed, stems, nums, dnums in con.execute(
            "select key_hash, n_occ, signed, stems, nums, dnums from dd_index.cluster_keys"
        ).fetchall()
    }
    sims = {
        tuple(sorted((hash_of[a], hash_of[b]))): j
        for a, b, j in con.execute("select a, b, j from dd_index.cluster_sims").fetchall()
    }
    edges = {
        tuple(sorted((hash_of[a], hash_of[b])))
        for a, b in con.execute("select a, b from dd_index.cluster_claim_edges").fetchall()
    }
    bands = sorted(
        (k, hash_of[i]) for k, i in con.execute("select bkey, key_id from dd_index.cluster_bands")
        .fetchall()
    )
    occ = sorted(
        (a, p, hash_of[k], c) for a, p, k, c in con.execute(
            "select article_id, pos, key_id, claim_index from dd_index.cluster_occ").fetchall()
    )
    labels: dict[int, set] = {}
    for k, lab in con.execute("select key_id, claim_label from dd_index.cluster_keys").fetchall():
        labels.setdefault(lab, set()).add(hash_of[k])
    articles = sorted(con.execute(
        "select article_id, live, input_hash, n_sent, digest from dd_index.cluster_articles"
    ).fetchall())
    rewrites = sorted(con.execute("select a, b from dd_index.cluster_rewrites").fetchall())
    return {
        "keys": keys, "sims": sims, "edges": edges, "bands": bands, "occ": occ,
        "claim_components": sorted(sorted(g) for g in labels.values()),
        "articles": articles, "rewrites": rewrites,
    }


def _assert_same_as_scratch(con, scratch) -> None:
    """Cluster ``scratch`` from nothing and check that the index and the rewrite
    clusters ``con`` reached by updates are the same; closes both."""
    assign_clusters(scratch)
    got, want = _index_by_content(con), _index_by_content(scratch)
    for part in want:
        assert got[part] == want[part], part
    assert _rewrite_clusters(con) == _rewrite_clusters(scratch)
    con.close()
    scratch.close()


def test_a_full_clustering_writes_an_index_of_the_corpus(tmp_path):
    con = _fresh(tmp_path / "w.duckdb", {"a": ORIGINAL, "b": PARAPHRASE, "c": INDEPENDENT})
    stats = assign_clusters(con)
    assert stats["incremental"] is False
    # the index is a file of its own beside the warehouse, which holds none of it
    assert (tmp_path / "w.cluster_index.duckdb").is_file()
    assert not con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and table_name in ('cluster_keys', 'cluster_bands', 'cluster_occ', 'cluster_sims')"
    ).fetchall()
    n_sent = {a: len(split_sentences(t)) for a, t in
              {"a": ORIGINAL, "b": PARAPHRASE, "c": INDEPENDENT}.items()}
    with index.attached(con, read_only=True):
        assert dict(con.execute(
            "select article_id, n_sent from dd_index.cluster_articles where live"
        ).fetchall()) == n_sent
        assert con.execute("select count(*) from dd_index.cluster_occ").fetchall()[0][0] == (
            sum(n_sent.values()))
        # every occurrence counted once by its key; 32 band keys per signed key
        assert con.execute("select sum(n_occ) from dd_index.cluster_keys").fetchall()[0][0] == (
            sum(n_sent.values()))
        n_signed = con.execute(
            "select count(*) from dd_index.cluster_keys where signed").fetchall()[0][0]
        assert n_signed > 0
        assert con.execute("select count(*) from dd_index.cluster_bands").fetchall()[0][0] == (
            BANDS * n_signed)
        # the paraphrase was found as a rewrite by alignment, and the index says so
        assert con.execute("select a, b from dd_index.cluster_rewrites").fetchall() == [
            ("a", "b")]
        # the meta row ties the index to this clustering, and the warehouse to the index
        meta = con.execute(
            "select fingerprint, generation from dd_index.cluster_index_meta").fetchall()
    state = con.execute("select inputs_fingerprint from raw.cluster_state").fetchall()
    link = con.execute("select generation from raw.cluster_index_link").fetchall()
    assert [m[0] for m in meta] == [s[0] for s in state]
    assert [m[1] for m in meta] == [g[0] for g in link]
    con.close()


def test_the_index_after_updates_equals_one_built_from_scratch(tmp_path):
    texts = {"a": ORIGINAL, "b": INDEPENDENT, "c": ANOTHER_INDEPENDENT}
    con = _fresh(tmp_path / "w.duckdb", texts)
    assign_clusters(con)
    # a paraphrase arrives, an article is edited, another removed
    steps = [
        ("p", PARAPHRASE, "ok"),
        ("b", INDEPENDENT.replace("Monday", "Tuesday") + "A late addition of one sentence.\n",
         "ok"),
        ("c", ANOTHER_INDEPENDENT, "removed"),
    ]
    for aid, text, status in steps:
        _land(con, aid, text, status)
        stats = assign_clusters(con)
        assert stats["incremental"] is True, stats.get("fallback")
        if status == "ok":
            texts[aid] = text
        else:
            texts.pop(aid)
    scratch = _fresh(tmp_path / "s.duckdb", texts)
    _land(scratch, "c", ANOTHER_INDEPENDENT, "removed")
    _assert_same_as_scratch(con, scratch)


def test_removing_the_article_that_bridged_two_others_splits_their_cluster(tmp_path):
    # b shares its first half with a and its second half with c: one cluster of three
    # through b alone; removing b must split it (a bridge), as a full run would.
    lines_a, lines_c = ORIGINAL.splitlines(), ANOTHER_INDEPENDENT.splitlines()
    bridge = "\n".join(lines_a[:4] + lines_c[4:]) + "\n"
    con = _fresh(tmp_path / "w.duckdb", {"a": ORIGINAL, "b": bridge, "c": ANOTHER_INDEPENDENT})
    assign_clusters(con)
    before = _rewrite_clusters(con)
    assert before["a"] == before["b"] == before["c"]
    _land(con, "b", bridge, "removed")
    stats = assign_clusters(con)
    assert stats["incremental"] is True
    after = _rewrite_clusters(con)
    assert len({after["a"], after["b"], after["c"]}) == 3
    # a keeps its id (it was the smallest member); b (removed) and c are renamed
    assert stats["articles_changed"] == 2
    scratch = _fresh(tmp_path / "s.duckdb", {"a": ORIGINAL, "c": ANOTHER_INDEPENDENT})
    _land(scratch, "b", bridge, "removed")
    assign_clusters(scratch)
    assert after == _rewrite_clusters(scratch)
    con.close()
    scratch.close()


def test_a_number_key_crossing_its_cap_unlinks_its_members_as_a_full_run(
    tmp_path, monkeypatch
):
    # With a cap of 2, a third sentence stating the same figures switches the key off
    # for the two that shared it: pairs far from the new article change, and the
    # update checks them again instead of re-clustering everything.
    monkeypatch.setattr(candidates, "MAX_NUMBER_BUCKET", 2)
    monkeypatch.setattr(incremental, "MAX_NUMBER_BUCKET", 2)
    one = "Officials said exports reached 4,321 units in 1987 after months of talks.\n"
    two = "Exports climbed to 4,321 units during 1987 according to trade officials.\n"
    three = "Customs records show 4,321 units shipped in 1987, a new record for the port.\n"
    texts = {"a": ORIGINAL + one, "b": INDEPENDENT + two}
    con = _fresh(tmp_path / "w.duckdb", texts)
    assign_clusters(con)
    _land(con, "c", ANOTHER_INDEPENDENT + three)
    stats = assign_clusters(con)
    assert stats["incremental"] is True
    assert stats["sentences_rechecked"] == 2  # one and two, unlinked by the third
    scratch = _fresh(tmp_path / "s.duckdb", {**texts, "c": ANOTHER_INDEPENDENT + three})
    _assert_same_as_scratch(con, scratch)


def test_an_index_made_by_other_code_is_not_used(tmp_path):
    con = _fresh(tmp_path / "w.duckdb", {"a": ORIGINAL, "b": PARAPHRASE})
    assign_clusters(con)
    with index.attached(con):
        con.execute("update dd_index.cluster_index_meta set code_version = 'older code'")
    _land(con, "c", INDEPENDENT)
    assert assign_clusters(con)["incremental"] is False
    _land(con, "d", ANOTHER_INDEPENDENT)
    assert assign_clusters(con)["incremental"] is True  # the full run rebuilt it
    con.close()


def test_force_reclusters_from_scratch(tmp_path):
    con = _fresh(tmp_path / "w.duckdb", {"a": ORIGINAL, "b": PARAPHRASE})
    assign_clusters(con)
    _land(con, "c", INDEPENDENT)
    assert assign_clusters(con, force=True)["incremental"] is False
    con.close()


def test_giving_duckdb_memory_back_keeps_its_memory_limit(tmp_path):
    import duckdb

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("set memory_limit = '300MB'")
    before = con.execute("select current_setting('memory_limit')").fetchone()[0]
    con.execute("create table t as select range as x, repeat('y', 100) as s from range(200000)")
    con.execute("select sum(x), count(distinct s) from t").fetchall()
    index.release_memory(con)
    after = con.execute("select current_setting('memory_limit')").fetchone()[0]
    # restored from DuckDB's own rounded text: within its last digit, and stable
    assert after.endswith(" MiB") and abs(float(after[:-4]) - float(before[:-4])) < 0.101
    index.release_memory(con)
    assert con.execute("select current_setting('memory_limit')").fetchone()[0] == after
    assert con.execute("select count(*) from t").fetchone()[0] == 200000
