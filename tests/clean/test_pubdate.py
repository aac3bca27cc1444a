"""The article's own date from the header of a text dump (lib/clean/pubdate.py + clean_document)."""

from __future__ import annotations

import datetime as dt

import pytest

from dagster_project.lib.clean import clean_document
from dagster_project.lib.clean.pubdate import date_in, leading_date, published_date

TODAY = dt.date(2026, 1, 1)
BODY = (
    "The port authority said on Tuesday that container traffic rose sharply over the summer, "
    "driven by new shipping routes and lower fuel costs for the larger carriers.\n\n"
    "Officials expect the growth to continue next year as two new berths open to traffic.\n\n"
    "The authority will publish its full annual figures in the spring, a spokeswoman added.\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 3, 2021", dt.date(2021, 3, 3)),
        ("Updated: 2019-04-02 10:15", dt.date(2019, 4, 2)),
        ("Posted 14 Sept 2018 by the newsdesk", dt.date(2018, 9, 14)),
        ("Reporter) 09:40, Nov 7, 2023", dt.date(2023, 11, 7)),
        ("11/28/2022", dt.date(2022, 11, 28)),  # the day exceeds 12: month first
        ("28/11/2022", dt.date(2022, 11, 28)),  # the day exceeds 12: day first
        ("Published 04.05.2020", dt.date(2020, 5, 4)),  # dotted: day first
    ],
)
def test_header_date_shapes(text, expected):
    assert date_in(text) == expected


def test_glued_date_must_open_the_line():
    assert leading_date(" date 2021-07-09 NAIROBI (Agency) The ministry said") == dt.date(2021, 7, 9)
    assert leading_date("Friday, October 8, 2021 ROME - Ministers met") == dt.date(2021, 10, 8)
    # A body sentence that opens with a date is not the article's date.
    assert leading_date("On March 3, 2021, the two sides signed a deal") is None
    assert leading_date("The 2021-07-09 session was cancelled") is None


def test_no_year_no_date_and_no_copyright_or_future():
    assert published_date(["KAMPALA, June 2 (Agency) -"], None, TODAY) is None
    assert published_date(["© 2019 Example Media Group"], None, TODAY) is None
    assert published_date(["January 5, 2031"], None, TODAY) is None
    assert published_date(["Home | World", "June 2, 2019"], "Text", TODAY) == dt.date(2019, 6, 2)


def test_long_lines_above_the_body_only_count_when_they_open_with_the_date():
    teaser = ("Earlier this year, on April 2, 2020, the council voted on a plan that critics "
              "said would raise rents across the whole district for a decade")
    assert published_date([teaser], None, TODAY) is None


def test_clean_document_reads_a_glued_date_into_published_date():
    raw = " date 2021-07-09 " + BODY
    cleaned = clean_document(raw, "text")
    assert cleaned.published_date == dt.date(2021, 7, 9)


def test_clean_document_reads_a_date_line_above_the_title():
    raw = "World | Business\n\n5/14/2019\n\nPort traffic rises after new routes open\n\n" + BODY
    assert clean_document(raw, "text").published_date == dt.date(2019, 5, 14)


def test_clean_document_without_a_stated_date_keeps_none():
    assert clean_document("Port traffic rises\n\n" + BODY, "text").published_date is None


def test_a_glued_date_is_cut_from_the_body_and_its_lede_kept():
    lede = ("The port authority of Valparaiso said on Tuesday that container traffic rose by a "
            "fifth over the summer, driven by new routes.")
    raw = " date 2021-07-09 " + lede + "\n\n" + BODY
    cleaned = clean_document(raw, "text")
    assert cleaned.published_date == dt.date(2021, 7, 9)
    assert cleaned.body_text.startswith("The port authority of Valparaiso")
    assert "2021-07-09" not in cleaned.body_text
