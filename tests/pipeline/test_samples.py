"""Acceptance checks on the five sample articles (issue 2's 'on the sample articles')."""

from tests.pipeline.helpers import Workspace


def test_russia_is_one_actor_with_moscow_and_the_kremlin_as_aliases(built: Workspace):
    rows = built.query(
        "select actor_id, aliases from marts.dim_actors where canonical_name = 'Russia'"
    )
    assert len(rows) == 1
    aliases = {a.lower() for a in rows[0][1]}
    assert "moscow" in aliases
    assert any("kremlin" in a for a in aliases)
    # No second actor carries those surface forms.
    others = built.query(
        "select canonical_name from marts.dim_actors, unnest(aliases) as t(alias) "
        "where lower(alias) in ('moscow', 'the kremlin', 'kremlin') and canonical_name <> 'Russia'"
    )
    assert others == []


FAKE_PROFILE = ("Alba Bayer", "shawna.krajcik", "rozella.collins", "Abshire, Leannon",
                "Molestias nobis", "feeneya", "afeeney")


def test_fake_author_profile_appears_only_in_removed_blocks(built: Workspace):
    removed = " ".join(t for (t,) in built.query("select text from marts.removed_blocks"))
    for needle in FAKE_PROFILE:
        assert needle in removed, f"{needle!r} should be kept in removed_blocks"
    checks = {
        "dim_articles": "concat_ws(' ', title, author, site_name, body_text)",
        "dim_actors": "concat_ws(' ', canonical_name, array_to_string(aliases, ' '))",
        "fct_claims": "text",
        "fct_figures": "concat_ws(' ', measure, period_text)",
        "fct_figure_mentions": "surface_text",
        "fct_events": "concat_ws(' ', description, location)",
        "fct_event_mentions": "surface_text",
    }
    for table, expr in checks.items():
        for needle in FAKE_PROFILE:
            (n,) = built.query(
                f"select count(*) from marts.{table} where contains({expr}, ?)", [needle]
            )[0]
            assert n == 0, f"{needle!r} leaked into marts.{table}"


def test_the_1700_uav_figure_is_one_row_backed_by_two_articles(built: Workspace):
    rows = built.query(
        "select figure_id, n_articles, qualifier from marts.fct_figures "
        "where value = 1700 and unit = 'UAV'"
    )
    assert len(rows) == 1
    figure_id, n_articles, qualifier = rows[0]
    assert n_articles == 2
    assert qualifier == "more_than"
    articles = built.query(
        "select distinct a.source_path from marts.fct_figure_mentions m "
        "join marts.dim_articles a using (article_id) where m.figure_id = ? order by 1",
        [figure_id],
    )
    assert [p for (p,) in articles] == ["000_0c6179480ab04aa8.txt", "002_1adc10c9f5ff94ad.txt"]
