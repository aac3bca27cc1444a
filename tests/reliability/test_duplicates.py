"""Two byte-identical files under different names are one article for the facts."""

from tests.pipeline.helpers import Workspace

ORIGINAL = "000_0c6179480ab04aa8.txt"
FIGURE_SQL = (
    "select n_articles, n_mentions from marts.fct_figures "
    "where value = 1700 and unit ilike '%uav%'"
)


def test_a_byte_identical_copy_under_another_name_counts_once(samples_warehouse, tmp_path):
    ws: Workspace = samples_warehouse.clone(tmp_path)
    before = ws.query(FIGURE_SQL)
    assert before and before[0][0] == 2
    (ws.raw_dir / "copy_of_000.txt").write_bytes((ws.raw_dir / ORIGINAL).read_bytes())
    assert ws.run().success
    assert ws.query(FIGURE_SQL) == before  # the copy adds no article and no mention
    rows = ws.query(
        "select status, duplicate_of from marts.dim_articles where source_path = 'copy_of_000.txt'"
    )
    assert rows == [("ok", ORIGINAL)]

    # Once the original is deleted, the copy is the article that counts.
    (ws.raw_dir / ORIGINAL).unlink()
    assert ws.run().success
    assert ws.query(FIGURE_SQL) == before
    rows = ws.query(
        "select status, duplicate_of from marts.dim_articles where source_path = 'copy_of_000.txt'"
    )
    assert rows == [("ok", None)]
