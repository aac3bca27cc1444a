# ruff: noqa: E501  (the test articles are prose, one sentence a line)
"""Rewrite and claim clustering on small texts written for these tests."""

from __future__ import annotations

import duckdb
import pytest

from dagster_project.lib import warehouse
from dagster_project.lib.dedup import assign_clusters, cluster_corpus
from dagster_project.lib.dedup.align import alignment_score
from dagster_project.lib.dedup.text import content_stems, numbers, split_sentences
from dagster_project.lib.dedup.verify import same_claim
from tests.dedup.landing import land_article

ORIGINAL = """\
The outbreak of the war has pushed Moscow and Tehran into unprecedented military and economic cooperation.
Historically, the two states have shared complex relations since diplomatic ties were established in 1521.
They fought several wars against each other and competed for influence in the Caucasus for centuries.
Since August 2022, Iran has supplied Russia with more than 1,700 drones for use in Ukraine.
Russia pledged to invest $3.5 billion in revamping Iranian railway infrastructure by 2030.
Bilateral trade between the two countries currently amounts to about $5 billion a year.
Officials in both capitals describe the partnership as strategic, but analysts remain sceptical.
Divergent interests in the Middle East and Central Asia continue to limit a formal alliance.
"""

# Paraphrased sentence by sentence, in the same order, with different words.
PARAPHRASE = """\
The war's outbreak drove Moscow and Tehran toward an unprecedented degree of military and economic cooperation.
The two states have had complicated relations ever since their diplomatic ties were first established in 1521.
Over centuries they fought several wars with each other and competed for influence across the Caucasus.
Iran has delivered more than 1,700 drones to Russia since August 2022, for use in the war in Ukraine.
Moscow has pledged to invest $3.5 billion to revamp Iranian railway infrastructure by 2030.
Trade between the two countries currently amounts to roughly $5 billion per year.
Both capitals call the partnership strategic, yet many analysts remain sceptical about it.
Their divergent interests in Central Asia and the Middle East still limit any formal alliance.
"""

# Same topic, same actors, written independently.
INDEPENDENT = """\
Energy markets in Europe reacted nervously after new sanctions were announced on Monday.
Gas prices rose by 12 percent within hours as traders weighed the risk of supply disruptions.
Iran and Russia were mentioned by several analysts, though neither was directly targeted.
A spokesperson for the European Commission said further measures were under discussion.
Shipping companies reported delays in the Black Sea and the eastern Mediterranean.
Some economists expect inflation to remain elevated until the end of next year.
Governments in the region are preparing support packages for households and industry.
Storage levels are currently higher than at the same point last winter, officials said.
"""

ANOTHER_INDEPENDENT = """\
Iran and Russia held a round of talks on transport corridors in Baku this week.
The delegations discussed customs procedures, freight tariffs and border crossings.
A railway link along the Caspian coast remains unfinished after years of delays.
Azerbaijan offered to host a follow-up meeting of technical experts in the spring.
Observers noted that financing for the project has still not been fully secured.
Officials declined to give a timetable for the completion of the railway.
Traders in the region hope the route will shorten delivery times to South Asia.
The next round of talks is expected to take place before the end of the year.
"""


def as_sentences(text: str) -> list[tuple[int, str]]:
    return list(enumerate(split_sentences(text)))


def corpus(**texts: str) -> dict[str, list[tuple[int, str]]]:
    return {name: as_sentences(text) for name, text in texts.items()}


def test_paraphrase_written_sentence_by_sentence_is_a_rewrite_of_the_original():
    result = cluster_corpus(corpus(a_orig=ORIGINAL, b_para=PARAPHRASE, c_ind=INDEPENDENT))
    clusters = result.article_clusters
    assert clusters["a_orig"] == clusters["b_para"]
    assert clusters["c_ind"] != clusters["a_orig"]


def test_independent_articles_on_the_same_topic_are_not_rewrites():
    result = cluster_corpus(corpus(a=ORIGINAL, b=INDEPENDENT, c=ANOTHER_INDEPENDENT))
    assert len(set(result.article_clusters.values())) == 3


def test_verbatim_copy_with_an_extra_paragraph_is_a_rewrite():
    copy = ORIGINAL + "A short note was added by the aggregator at the end of the page.\n"
    result = cluster_corpus(corpus(orig=ORIGINAL, copy=copy, other=ANOTHER_INDEPENDENT))
    assert result.article_clusters["orig"] == result.article_clusters["copy"]
    assert result.article_clusters["other"] != result.article_clusters["orig"]


def test_rewrite_clusters_are_transitive_and_named_after_the_smallest_member():
    result = cluster_corpus(corpus(z_para=PARAPHRASE, m_orig=ORIGINAL, a_copy=ORIGINAL))
    ids = set(result.article_clusters.values())
    assert len(ids) == 1
    from dagster_project.lib.warehouse import stable_id

    assert ids == {stable_id("a_copy")}


def test_paraphrased_claim_shares_a_cluster_and_a_different_number_does_not():
    result = cluster_corpus(corpus(a=ORIGINAL, b=PARAPHRASE))
    cc = result.claim_clusters
    # 1,700 drones since August 2022: paraphrased in b.
    assert cc[("a", 3)] == cc[("b", 3)]
    # diplomatic ties in 1521
    assert cc[("a", 1)] == cc[("b", 1)]
    # different claims in one article never merge
    assert len({cc[("a", i)] for i in range(8)}) == 8


def test_same_claim_requires_equal_numbers():
    s1 = "Bilateral trade between Russia and Iran reached $5 billion in 2022."
    s2 = "Bilateral trade between Russia and Iran reached $4 billion in 2023."
    a = (frozenset(content_stems(s1)), numbers(s1))
    b = (frozenset(content_stems(s2)), numbers(s2))
    assert not same_claim(*a, *b)
    assert same_claim(*a, *a)
    assert numbers("over 1,700 UAVs") == {"1700"}


def test_alignment_rewards_sentence_pairs_in_the_same_order():
    in_order = [(0, 0, 0.5), (1, 1, 0.5), (2, 2, 0.5)]
    crossed = [(0, 2, 0.5), (1, 1, 0.5), (2, 0, 0.5)]
    assert alignment_score(in_order, 4, 10) == (1.5 / 4, 3)
    assert alignment_score(crossed, 4, 10) == (0.5 / 4, 1)
    assert alignment_score([], 4, 10) == (0.0, 0)


@pytest.fixture()
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "t.duckdb"))
    warehouse.ensure_schema(connection)  # the real landing tables
    yield connection
    connection.close()


def _add(con, article_id, text, status="ok", with_claims=True):
    claims = [s for _, s in as_sentences(text)] if with_claims else None
    land_article(con, article_id, text, claims, status)


def test_assign_clusters_writes_both_tables_and_replaces_their_content(con):
    _add(con, "a", ORIGINAL)
    _add(con, "b", PARAPHRASE, with_claims=False)  # body sentences are used instead
    _add(con, "c", INDEPENDENT)
    stats = assign_clusters(con)
    assert stats["articles"] == 3
    rows = dict(con.execute("select * from raw.article_clusters").fetchall())
    assert rows["a"] == rows["b"] != rows["c"]
    n_claims = con.execute("select count(*) from raw.claim_clusters").fetchone()[0]
    # One row per claim: a and c have claims; b has none (its body served instead).
    assert n_claims == con.execute("select count(*) from raw.claims").fetchone()[0] > 0
    # Re-running gives the same ids and no duplicates.
    assign_clusters(con)
    assert dict(con.execute("select * from raw.article_clusters").fetchall()) == rows
    assert con.execute("select count(*) from raw.claim_clusters").fetchone()[0] == n_claims


def test_removed_article_does_not_join_a_cluster(con):
    _add(con, "a", ORIGINAL)
    _add(con, "b", ORIGINAL, status="removed")
    assign_clusters(con)
    rows = dict(con.execute("select * from raw.article_clusters").fetchall())
    assert rows["a"] != rows["b"]


def test_assign_clusters_on_an_empty_schema(con):
    assert assign_clusters(con)["articles"] == 0
    assert con.execute("select count(*) from raw.article_clusters").fetchone()[0] == 0


# --- paraphrased claims that restate the same figure(s) -------------------------------

FIGURE_A = """\
Heavy rains flooded the coastal districts of the province for a third consecutive week.
As the army ran short of transport helicopters, Brazil emerged as a key supplier, delivering over 2,350 helicopters since March 2021.
Local officials said the evacuation of the lowland villages was almost complete.
"""

# Independent article (different topic otherwise): same figure and date, other words,
# plus a list of models and another figure the first sentence does not mention.
FIGURE_B = """\
The ministry published its annual procurement report on Tuesday morning.
Since March 2021, Brazil has supplied the army with more than 2,350 helicopters, including Model-4 and Model-7 variants, and is helping to build a plant that can produce at least 9,000 rotors.
Parliament is expected to debate the report before the summer recess.
"""

# Same topic and actors, a different figure: a different claim.
FIGURE_C = """\
Brazil has supplied the army with more than 1,150 helicopters since March 2021, officials said.
"""


def test_paraphrase_with_the_same_figure_and_date_is_the_same_claim():
    result = cluster_corpus(corpus(a=FIGURE_A, b=FIGURE_B, c=FIGURE_C))
    cc = result.claim_clusters
    assert cc[("a", 1)] == cc[("b", 1)]
    # same topic, same actors, same date, but another figure
    assert cc[("c", 0)] != cc[("a", 1)]
    # the articles are not rewrites of one another
    assert len(set(result.article_clusters.values())) == 3


def test_same_figure_in_different_words_with_a_currency_scale():
    s1 = "A $40 billion energy agreement between the two nations was also signed."
    s2 = "In July 2022, the two governments signed an energy deal worth $40 billion."
    s3 = "Trade between the two nations could reach $40 billion by 2030, an adviser said."
    result = cluster_corpus({"x": [(0, s1)], "y": [(0, s2)], "z": [(0, s3)]})
    cc = result.claim_clusters
    assert cc[("x", 0)] == cc[("y", 0)]
    assert cc[("z", 0)] != cc[("x", 0)]  # same figure, another claim


def test_same_figure_claim_rules():
    from dagster_project.lib.dedup.text import distinctive_numbers
    from dagster_project.lib.dedup.verify import same_figure_claim

    def parts(s):
        return frozenset(content_stems(s)), distinctive_numbers(numbers(s), s)

    a = parts("Brazil delivered over 2,350 helicopters to the army since March 2021.")
    b = parts("Since March 2021 the army received more than 2,350 helicopters from Brazil.")
    c = parts("Since March 2021 the army received more than 2,530 helicopters from Brazil.")
    d = parts("Since March 2021 the navy opened 2,350 new recruitment offices in Lisbon.")
    assert same_figure_claim(*a, *b)
    assert not same_figure_claim(*a, *c)  # different figure
    assert not same_figure_claim(*a, *d)  # same figures, different content
    # list markers and small counts are not distinctive
    assert (
        distinctive_numbers(numbers("Geran-1 and Geran-2 drones"), "Geran-1 and Geran-2") == set()
    )
    assert distinctive_numbers(numbers("over 1,700 UAVs in 2022"), "over 1,700 UAVs in 2022") == {
        "1700",
        "2022",
    }


def test_assign_clusters_skips_when_nothing_changed_and_reruns_on_any_change(con):
    _add(con, "a", ORIGINAL)
    _add(con, "c", INDEPENDENT)
    assert assign_clusters(con)["skipped"] is False
    rows = dict(con.execute("select * from raw.article_clusters").fetchall())
    # Nothing changed: skipped, tables untouched.
    again = assign_clusters(con)
    assert again["skipped"] is True and again["articles"] == 2
    assert dict(con.execute("select * from raw.article_clusters").fetchall()) == rows
    # A new article, an edited claim, a status change: each is clustered again.
    _add(con, "b", PARAPHRASE, with_claims=False)
    assert assign_clusters(con)["skipped"] is False
    rows = dict(con.execute("select * from raw.article_clusters").fetchall())
    assert rows["a"] == rows["b"]
    con.execute("update raw.claims set text = text || ' Edited.' where article_id = 'c' and claim_index = 0")
    assert assign_clusters(con)["skipped"] is False
    con.execute("update raw.files set status = 'removed' where article_id = 'b'")
    assert assign_clusters(con)["skipped"] is False
    rows = dict(con.execute("select * from raw.article_clusters").fetchall())
    assert rows["a"] != rows["b"]
    assert assign_clusters(con)["skipped"] is True
    # What clustering does not read: another dead status, a file's mtime, a title, a
    # claim's assertion kind. Skipped.
    con.execute("update raw.files set status = 'quarantined', mtime_ns = 1 where article_id = 'b'")
    con.execute("update raw.articles set title = 'New title' where article_id = 'a'")
    con.execute("update raw.claims set assertion = 'reported' where article_id = 'a'")
    assert assign_clusters(con)["skipped"] is True
    assert assign_clusters(con, force=True)["skipped"] is False
