"""Issue 5 on the real pipeline: rewrites counted once, disagreements surfaced."""

from tests.pipeline.helpers import Workspace

REWRITES = {"000_0c6179480ab04aa8.txt", "001_9bb483060e943d2a.txt", "002_1adc10c9f5ff94ad.txt"}


def test_the_three_rewrites_form_one_cluster_and_the_others_their_own(built: Workspace):
    rows = dict(built.query(
        "select source_path, rewrite_cluster_id from marts.dim_articles where status = 'ok'"
    ))
    assert len({rows[p] for p in REWRITES}) == 1
    others = [rows[p] for p in rows if p not in REWRITES]
    assert len(set(others)) == 2 and rows[next(iter(REWRITES))] not in others


def test_the_1700_uav_figure_has_one_independent_source(built: Workspace):
    (n_articles, n_sources), = built.query(
        "select n_articles, n_independent_sources from marts.fct_figures "
        "where value = 1700 and unit = 'UAV'"
    )
    assert (n_articles, n_sources) == (2, 1)


def test_the_40_billion_energy_deal_is_one_row_apart_from_the_forecast(built: Workspace):
    rows = built.query(
        "select qualifier, n_articles from marts.fct_figures "
        "where value = 40e9 and unit = 'USD' order by qualifier"
    )
    assert rows == [("as_much_as", 1), ("exact", 2)]


def test_trade_in_2022_and_2023_is_not_a_conflict(built: Workspace):
    (n,) = built.query("select count(*) from marts.fct_figure_conflicts")[0]
    assert n == 0
    (flagged,) = built.query("select count(*) from marts.fct_figures where has_conflict")[0]
    assert flagged == 0


def test_a_source_that_disagrees_on_a_figure_is_reported_as_a_conflict(built: Workspace, tmp_path):
    ws = built.clone(tmp_path)
    (ws.raw_dir / "trade_report.txt").write_text(
        "Russia and Iran Report Record Trade\n\nStaff Writer\nMarch 3, 2023\n"
        "Iranian customs officials said on Thursday that bilateral trade between Russia and Iran "
        "reached $6 billion in 2022, a record for the two countries.\n"
        "The officials said exports of farm goods to Russia grew quickly during the year, while "
        "Russian supplies of grain and machinery to Iran also increased.\n",
        encoding="utf-8",
    )
    assert ws.run().success
    rows = ws.query(
        "select least(value_a, value_b), greatest(value_a, value_b), period_year, "
        "article_ids_a, article_ids_b from marts.fct_figure_conflicts"
    )
    assert [(r[0], r[1], r[2]) for r in rows] == [(5e9, 6e9, 2022)]
    (flagged,) = ws.query("select count(*) from marts.fct_figures where has_conflict")[0]
    assert flagged == 2
