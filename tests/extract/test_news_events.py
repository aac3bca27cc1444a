"""Dates relative to the article's date, and the event kinds of news reports (issue 12).

Every sentence here is written for the test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dagster_project.lib.extract.dates import find_dates

PUB = dt.date(2022, 6, 30)  # a Thursday


def _one(text, published=PUB):
    ds = find_dates(text, published)
    assert len(ds) == 1, ds
    return ds[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The ministry confirmed the order on Thursday.", "2022-06-30"),  # the report's own day
        ("The ministry confirmed the order on Monday.", "2022-06-27"),
        ("Officials will meet again next Monday.", "2022-07-04"),
        ("The two envoys spoke by phone last Thursday.", "2022-06-23"),
        ("In his address last night, the premier said so.", "2022-06-29"),
        ("The bank asked in October last year for a share.", "2021-10"),
        ("In March, the pipeline's two sections were joined.", "2022-03"),
        ("The regulator ruled on April 4 that the deal could go ahead.", "2022-04-04"),
        ("The summit opened on 14 June with a dinner.", "2022-06-14"),
    ],
)
def test_relative_and_yearless_dates_take_the_articles_date(text, value):
    assert _one(text).value == value


def test_without_an_article_date_the_year_stays_unknown():
    assert _one("The regulator ruled on April 4 that it could go.", None).value == "XXXX-04-04"
    assert _one("The ministry confirmed the order on Monday.", None).value is None


def test_a_weekday_followed_by_its_date_is_one_date():
    d = _one("The leaders met on Tuesday, 25 January, in Oslo.")
    assert d.value == "2022-01-25"
    d = _one("The agency said on Saturday (June 25) that talks went well.")
    assert d.value == "2022-06-25"


def test_day_ranges():
    d = _one("The president visited Chile from 3 to 5 March 2019.")
    assert (d.value, d.precision, d.text) == ("2019-03-03/2019-03-05", "range", "3 to 5 March 2019")
    assert _one("Delegates gathered in Lima on May 10-12, 2018.").value == "2018-05-10/2018-05-12"
    # A percentage range next to a month is not a day range.
    assert _one("Prices rose 3-5 percent in March.").value == "2022-03"


def _events(extract, text, published=PUB):
    return [(e.event_type, e.event_date) for e in extract(text, published_date=published).event_mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The central bank of Norway on Wednesday raised its key interest rate to 1.25 percent.",
         ("policy_decision", "2022-06-29")),
        ("Voters in Chile elected a new president on Sunday.", ("election", "2022-06-26")),
        ("Siemens said on Monday that it would buy the French software maker for $1 billion.",
         ("acquisition", "2022-06-27")),
        ("Canada announced sanctions on twelve Belarusian officials on Tuesday.",
         ("sanctions", "2022-06-28")),
        ("The European Council adopted its ninth sanctions package on 16 December 2022.",
         ("sanctions", "2022-12-16")),
        ("Norway announced a military aid package for Ukraine on Friday.",
         ("military_supply", "2022-06-24")),
        ("Brazil and Argentina signed a trade deal on Friday in Buenos Aires.",
         ("agreement_signed", "2022-06-24")),
        ("The chancellor visited Japan from 3 to 5 March 2019.",
         ("visit", "2019-03-03/2019-03-05")),
        ("The Kenyan government unveiled its new budget on Thursday.",
         ("announcement", "2022-06-30")),
    ],
)
def test_news_event_kinds(extract, text, expected):
    assert expected in _events(extract, text)


def test_weekday_events_need_the_articles_date(extract):
    assert _events(extract, "Canada announced sanctions on twelve officials on Tuesday.", None) == []


def test_numeric_dates_in_the_body():
    assert _one("The plant reopened on Monday (14-03-2016) after repairs.").value == "2016-03-14"
    assert _one("The filing is dated 2021-11-05 in the registry.").value == "2021-11-05"
    assert _one("Trading resumed on 11/28/2022 in New York.").value == "2022-11-28"


def test_an_event_without_a_named_actor_takes_the_last_named_ones(extract):
    text = ("Brazil and Argentina began talks on a customs union in 2019.\n\n"
            "The two governments signed the final agreement on 3 May 2021 at a ceremony.")
    [ev] = [e for e in extract(text).event_mentions if e.event_date == "2021-05-03"]
    assert {"Brazil", "Argentina"} <= set(ev.actor_names)


def test_a_change_over_a_span_of_years_is_no_event(extract):
    assert _events(extract, "Exports to Chile fell by a third between 2010 and 2015 under sanctions.") == []
