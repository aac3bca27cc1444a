"""The dashboard on the samples' warehouse, read in headless Chromium.

The warehouse is built by the real pipeline from the five samples plus three
bad files; the dashboard is served by the same launcher as `make dashboard-serve`.
"""

from __future__ import annotations

import pytest

from tests.browser.pages import choose, metrics, open_page, table_rows

PAGES = {
    "overview": "Quarantine",
    "facts": "Figures (",
    "timeline": "Events of ",
    "corroboration": "Rewrite clusters",
    "mentions": "Pick a fact",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_loads_without_console_errors(browser, dashboard_url, page_errors, page):
    text = open_page(browser, f"{dashboard_url}/?page={page}", PAGES[page])
    assert "Traceback" not in text and "Error" not in text.split("\n")[0]
    assert browser.find_elements("css selector", '[data-testid="stException"]') == []
    assert page_errors() == []


def test_overview_counts_files_and_lists_the_quarantine(browser, dashboard_url, page_errors):
    open_page(browser, f"{dashboard_url}/?page=overview", "Quarantine")
    shown = metrics(browser)
    assert shown["Files seen"] == "8"
    assert shown["Articles OK"] == "5"
    assert shown["Quarantined"] == "3"
    quarantined = table_rows(browser, "table.quarantine")
    assert sorted(r["File"] for r in quarantined) == ["empty.txt", "nested/scan.html", "notes.docx"]
    assert all(r["Reason"] for r in quarantined), quarantined
    removed = table_rows(browser, "table.removed")
    assert {r["Reason"] for r in removed} >= {"header", "related_links"}
    assert page_errors() == []


def _uav_row(rows):
    matches = [r for r in rows if "1,700 UAV" in r["Figure"]]
    assert len(matches) == 1, [r["Figure"] for r in rows]
    return matches[0]


def test_facts_show_the_1700_uav_figure_and_link_to_its_mentions(
    browser, dashboard_url, page_errors
):
    open_page(browser, f"{dashboard_url}/?page=facts", "Figures (")
    row = _uav_row(table_rows(browser, "table.figures"))
    assert row["Articles"] == "2"
    assert row["Independent sources"] == "1"
    assert row["Period"] == "since August 2022"

    browser.find_element("css selector", f'table.figures a[href="{row["Mentions href"]}"]').click()
    text = open_page(browser, browser.current_url, "Where it is stated")
    assert "1,700 UAV" in text
    assert metrics(browser)["Articles"] == "2"
    assert metrics(browser)["Independent sources"] == "1"
    mentions = table_rows(browser, "table.mentions")
    # The two rewrites that state it, each with the words as written in the article.
    assert {r["File"][:3] for r in mentions} == {"000", "002"}
    assert {r["Stated as"] for r in mentions} == {"over 1,700 UAVs", "more than 1,700 UAVs"}
    marked = [m.text for m in browser.find_elements("css selector", "blockquote mark")]
    assert sorted(marked) == ["more than 1,700 UAVs", "over 1,700 UAVs"]
    assert page_errors() == []


def test_facts_filters_narrow_figures_and_events(browser, dashboard_url, page_errors):
    open_page(browser, f"{dashboard_url}/?page=facts", "Figures (")
    all_events = table_rows(browser, "table.events")
    all_figures = table_rows(browser, "table.figures")

    choose(browser, "Event type", "war_outbreak")
    events = table_rows(browser, "table.events")
    assert 0 < len(events) < len(all_events)
    assert {r["Type"] for r in events} == {"war_outbreak"}

    choose(browser, "Measure concept", "supply")
    figures = table_rows(browser, "table.figures")
    assert 0 < len(figures) < len(all_figures)
    assert {r["Concept"] for r in figures} == {"supply"}
    _uav_row(figures)

    choose(browser, "Actor", "Iran")
    assert all("Iran" in r["Actors"] for r in table_rows(browser, "table.figures"))
    assert page_errors() == []


def test_timeline_keeps_the_stated_precision(browser, dashboard_url, page_errors):
    open_page(browser, f"{dashboard_url}/?page=timeline", "Events of ")
    choose(browser, "Actor", "Iran")
    rows = table_rows(browser, "table.events")
    dates = {(r["Date (as stated)"], r["Precision"]) for r in rows}
    # Year-only and decade events are shown as stated, never as a 1 January date.
    assert ("2014", "year") in dates
    assert ("2000s", "decade") in dates
    assert ("2022-02-24", "day") in dates
    assert not any(d.endswith("-01-01") for d, p in dates if p != "day")
    # The window starts on the last decades; older events are counted, not lost.
    text = browser.find_element("tag name", "body").text
    assert "are hidden: widen the years" in text
    assert ("1988", "year") not in dates
    charts = browser.find_elements("css selector", '[data-testid="stVegaLiteChart"]')
    assert len(charts) >= 1 and charts[0].size["height"] > 100
    assert page_errors() == []


def test_corroboration_shows_the_rewrite_cluster_of_the_three_rewrites(
    browser, dashboard_url, page_errors
):
    open_page(browser, f"{dashboard_url}/?page=corroboration", "Rewrite clusters")
    clusters = table_rows(browser, "table.clusters")
    by_size = sorted(clusters, key=lambda r: -int(r["Articles"]))
    assert by_size[0]["Articles"] == "3"
    assert [m[:3] for m in by_size[0]["Members"].split(", ")] == ["000", "001", "002"]
    assert sorted(r["Articles"] for r in by_size[1:]) == ["1", "1"]

    best = table_rows(browser, "table.best")
    assert best and int(best[0]["Independent sources"]) >= 2
    assert "No conflicting figures" in browser.find_element("tag name", "body").text
    assert page_errors() == []
