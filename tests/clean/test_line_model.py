"""The learned line scorer (dagster_project/lib/clean/line_model.json)."""

from __future__ import annotations

import numpy as np

from dagster_project.lib.clean import clean_document
from dagster_project.lib.clean import model as M
from dagster_project.lib.clean.lines import split_page
from dagster_project.lib.clean.text import classify

INTRO = [
    "Home", "News", "Sport", "Motorsport", "Results",
    "Final standings of the 2019 regional rally championship",
    "The regional rally championship ended on Sunday with the last stage in the hills above the town, "
    "and the title was decided by only four points after eleven rounds.",
]
TABLE = [
    "Pos.\tDriver\tTeam\tPoints\tWins",
    "1\tMarta Kovac\tNorthline Racing\t212\t4",
    "2\tJonas Berg\tRiverside Motors\t208\t3",
    "3\tAli Haddad\tSummit Team\t190\t2",
    "4\tLena Fischer\tNorthline Racing\t171\t1",
    "5\tPaulo Reis\tBlue Coast\t160\t1",
    "6\tIrene Costa\tSummit Team\t142\t0",
    "7\tTom Walsh\tRiverside Motors\t120\t0",
]
OUTRO = [
    "The next season starts in March with the traditional opening rally on the coast, where the "
    "organisers plan to add a night stage for the first time.",
]
FOOTER = [
    "Related",
    "Rally season calendar announced",
    "Copyright 2019 Example Media Group. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed in whole or in part without the express written permission "
    "of the publisher, and any use of the content is subject to our terms of use and privacy policy.",
    "By using this site you agree that we and our partners may store and access information on your "
    "device and process personal data such as unique identifiers for the purposes described below.",
    "Contact us",
    "Advertise",
]


def _proba(lines: list[str]) -> np.ndarray:
    page = split_page("\n".join(lines) + "\n")
    cap = {}

    def capture(page, furn, prose, teaser, scores):
        cap["X"] = M.line_features(page, furn, prose, teaser, scores)
        return None

    classify(page, score_fn=capture)
    return M.predict(cap["X"], M.load_model())


def test_model_file_loads_and_matches_the_feature_list():
    m = M.load_model()
    assert m is not None, "line_model.json missing, stale or disabled"
    assert m["features"] == list(M.FEATURES)
    assert 0.0 < m["alpha"] <= 1.0
    assert m["cv_f1"] > m["heuristic_f1"]  # enabled only when cross-validation shows a gain


def test_table_heavy_body_scores_above_its_legal_footer():
    lines = INTRO + TABLE + OUTRO + FOOTER
    p = _proba(lines)
    body = [lines.index(x) for x in [INTRO[-1]] + TABLE + OUTRO]
    legal = [lines.index(FOOTER[2]), lines.index(FOOTER[3])]
    assert p[body].mean() > p[legal].max()
    assert p[[lines.index(x) for x in TABLE]].mean() > p[legal].mean()


def test_cleaner_keeps_the_prose_and_drops_the_legal_footer():
    art = clean_document("\n".join(INTRO + TABLE + OUTRO + FOOTER) + "\n", "text")
    assert INTRO[-1] in art.body_text and OUTRO[0] in art.body_text
    assert "All rights reserved" not in art.body_text
    assert "By using this site" not in art.body_text


def test_region_scores_are_none_without_lines_and_finite_otherwise():
    page = split_page("A single line of text that is long enough to be a paragraph of prose here.\n")
    res = classify(page)
    s = M.region_scores(page, res.furn, res.prose, res.teaser, [1.0] * len(page.lines))
    assert s is not None and all(np.isfinite(s))


def test_cleaner_keeps_a_data_table_between_paragraphs():
    art = clean_document("\n".join(INTRO + TABLE + OUTRO + FOOTER) + "\n", "text")
    body = art.body_text.split("\n\n")
    for row in TABLE:
        assert row in body, row
    assert art.title == INTRO[-2]


def test_table_rows_need_a_run_of_equal_cell_counts():
    from dagster_project.lib.clean.text import table_rows

    page = split_page("\n".join(["Intro line"] + TABLE[:3] + ["a\tb", "Plain line", "x\ty\tz"]) + "\n")
    assert table_rows(page.lines) == {1, 2, 3}


def test_legal_notice_needs_two_different_phrases():
    from dagster_project.lib.clean.patterns import legal_notice

    assert legal_notice(FOOTER[2]) and legal_notice(FOOTER[3])
    assert not legal_notice("The court ruled that the copyright of the song belonged to the estate of its "
                            "composer, who died in 1998.")


def test_page_wide_features_match_the_line_by_line_ones():
    # line_features counts digits, capitals and tabs in one pass over the page and takes
    # window means from one padded running sum: the same as counting line by line
    # (the path for pages without per-line arrays) and as plain window means.
    import dataclasses
    import random

    rng = random.Random(5)
    pool = ["Ab", "cD", " ", "\t", "(Q", '"Z', "12", "é", "Ω", "’", "x.", "\n", "\n", "Zz", "É", "9 ", "\u00a0", "\x0c"]
    for _ in range(300):
        page = split_page("".join(rng.choice(pool) for _ in range(rng.randint(1, 150))))
        N = len(page.lines)
        if not N:
            continue
        furn = [rng.choice([None, "footer"]) for _ in range(N)]
        prose = [rng.random() < 0.5 for _ in range(N)]
        teaser = [rng.random() < 0.2 for _ in range(N)]
        heur = [rng.uniform(-30, 30) for _ in range(N)]
        X = M.line_features(page, furn, prose, teaser, heur)
        per_line = dataclasses.replace(page, ns=None, starts=None, stops=None)
        assert np.array_equal(X, M.line_features(per_line, furn, prose, teaser, heur))
        for i in range(N):
            window = range(max(0, i - 2), min(N, i + 3))
            assert X[i, M.FEATURES.index("prose_w2")] == sum(prose[j] for j in window) / len(window)
            lines = page.lines[i].text
            assert X[i, M.FEATURES.index("digits")] == sum(c.isascii() and c.isdigit() for c in lines) / len(lines)


def test_the_line_model_is_passed_to_the_cleaner():
    from dagster_project.lib.clean import clean_text

    raw = "\n".join(INTRO + TABLE + OUTRO + FOOTER) + "\n"
    assert clean_text(raw) == clean_text(raw, line_model=M.load_model())  # default: the shipped one
    heuristic = clean_text(raw, line_model=None)
    assert INTRO[-1] in heuristic.body_text and OUTRO[0] in heuristic.body_text
    # A model that calls no line body (p < t = 1 on every line) is the one used: the
    # region search keeps none of the prose.
    rejecting = {**M.load_model(), "alpha": 1.0, "t": 1.0, "smooth": 0.0}
    art = clean_text(raw, line_model=rejecting)
    assert INTRO[-1] not in art.body_text and OUTRO[0] not in art.body_text
