import datetime as dt

from dagster_project.lib.extract.dates import find_dates


def _one(text, published=None):
    ds = find_dates(text, published)
    assert len(ds) == 1, ds
    return ds[0]


def test_day_with_abbreviated_month():
    d = _one("The ministers met in Doha on Sept. 3, 2021 to discuss the truce.")
    assert (d.value, d.precision, d.date_start) == ("2021-09-03", "day", dt.date(2021, 9, 3))


def test_day_month_year_order():
    assert _one("Talks resumed on 14 March 2020 in Geneva.").value == "2020-03-14"


def test_month_and_year():
    d = _one("Ankara signed the contract in November 2019.")
    assert (d.value, d.precision, d.date_end) == ("2019-11", "month", dt.date(2019, 11, 30))


def test_bare_year_and_qualified_year():
    assert _one("The embassy reopened in 2016.").value == "2016"
    d = _one("A ceasefire was agreed in mid-2018.")
    assert (d.value, d.qualifier) == ("2018", "mid")


def test_year_ranges_with_dash_and_between():
    assert _one("The two empires fought in 1768–1774 over Crimea.").value == "1768/1774"
    assert _one("Imports doubled between 2009 and 2014.").value == "2009/2014"
    assert _one("Shipments ran from May 2021 to June 2022.").value == "2021-05/2022-06"


def test_decade_and_century():
    d = _one("Ties warmed in the early 1990s.")
    assert (d.value, d.precision, d.qualifier) == ("1990s", "decade", "early")
    c = _one("The fortress dates back to the 12th century.")
    assert (c.value, c.precision) == ("12th century", "century")


def test_unknown_year_is_edtf_unspecified():
    d = _one("The parliament ratified the accord on April 21, officials said.")
    assert (d.value, d.precision, d.date_start) == ("XXXX-04-21", "day", None)
    m = _one("The two leaders signed a memorandum in January.")
    assert (m.value, m.precision) == ("XXXX-01", "month")


def test_relative_dates_resolve_against_published_date():
    pub = dt.date(2024, 3, 10)
    assert _one("Russia became its largest investor last year.", pub).value == "2023"
    assert _one("The pact was signed two months ago.", pub).value == "2024-01"
    d = _one("The ambassador was recalled yesterday.", pub)
    assert (d.value, d.precision) == ("2024-03-09", "day")


def test_relative_date_without_published_date_has_no_value():
    d = _one("The pact was signed last year.")
    assert d.value is None and d.precision == "unknown"


def test_deadline_is_a_boundary_not_a_happening():
    assert _one("Trade should reach $10 billion by 2030.").boundary
    assert not _one("Trade reached $10 billion in 2023.").boundary


def test_events_are_dated_and_typed(extract):
    x = extract(
        "On June 12, 2023, Saudi Crown Prince Mohammed bin Salman met Chinese President "
        "Xi Jinping in Riyadh."
    )
    [ev] = x.event_mentions
    assert (ev.event_type, ev.event_date, ev.date_precision) == ("meeting", "2023-06-12", "day")
    assert "China" in ev.actor_names and "Xi Jinping" in ev.actor_names
    y = extract("Azerbaijan and Turkey signed a defence pact in June 2021.")
    [ev] = y.event_mentions
    assert (ev.event_type, ev.event_date) == ("agreement_signed", "2021-06")


def test_relative_event_date_uses_published_date(extract):
    x = extract(
        "Moscow and Tehran signed a security pact last year.", published_date=dt.date(2025, 6, 1)
    )
    [ev] = x.event_mentions
    assert (ev.event_date, ev.date_precision, ev.date_start) == (
        "2024",
        "year",
        dt.date(2024, 1, 1),
    )


def test_deadlines_and_trade_figures_are_not_events(extract):
    x = extract(
        "Officials expect bilateral trade to reach $10 billion by 2030, after it dropped "
        "by 17 percent in 2023."
    )
    assert x.event_mentions == ()
