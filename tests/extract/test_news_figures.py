"""Figures in other currencies and the Indian scales (issue 12). Sentences written for the test."""

from __future__ import annotations

import pytest


def _figs(extract, text):
    return [(f.surface_text, f.value, f.unit) for f in extract(text).figure_mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The state will spend Rs 450 crore on new roads.", ("Rs 450 crore", 4.5e9, "INR")),
        ("The budget sets aside Rs2.5 lakh crore for railways.", ("Rs2.5 lakh crore", 2.5e12, "INR")),
        ("Farmers sold 12 lakh tonnes of wheat.", ("12 lakh tonnes", 1.2e6, "tonne")),
        ("The shipyard won a ₩3 trillion order.", ("₩3 trillion", 3e12, "KRW")),
        ("Lagos raised 40 billion naira in bonds.", ("40 billion naira", 4e10, "NGN")),
    ],
)
def test_other_currencies_and_scales(extract, text, expected):
    assert expected in _figs(extract, text)


def test_an_amount_and_its_conversion_are_two_figures(extract):
    found = _figs(extract, "Tokyo pledged ¥700 billion ($4.7 billion) in loans to Manila.")
    assert ("¥700 billion", 7e11, "JPY") in found
    assert ("$4.7 billion", 4.7e9, "USD") in found


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("The new line will carry just over half the gas the region burns.", 0.5, "more_than"),
        ("Rice makes up about half of the country's exports.", 0.5, "about"),
        ("The alliance holds more than a quarter of the world's reserves.", 0.25, "more_than"),
        ("Two-thirds of the members voted for the motion.", 2 / 3, "exact"),
    ],
)
def test_fractions_in_words(extract, text, value, qualifier):
    [f] = [f for f in extract(text).figure_mentions if f.unit == "fraction"]
    assert (round(f.value, 4), f.qualifier) == (round(value, 4), qualifier)


@pytest.mark.parametrize(
    "text", ["Sales fell in the first half of 2023.", "She spoke on behalf of the union."]
)
def test_halves_that_are_no_share(extract, text):
    assert not [f for f in extract(text).figure_mentions if f.unit == "fraction"]


def _units(extract, text):
    return [(f.surface_text, f.value, f.unit) for f in extract(text).figure_mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Words the pattern reader does not take stand between the number and its noun.
        ("The navy ordered 24 MH-60R maritime helicopters.", (24.0, "helicopter")),
        ("The cabinet approved 30 new coal plants.", (30.0, "coal plant")),
        ("The ministers signed four MoUs on water.", (4.0, "MoU")),
        ("The cartel works with 9 other non-member producers.", (9.0, "producer")),
    ],
)
def test_the_counted_noun_comes_from_the_parse(extract, text, expected):
    assert expected in [(v, u) for _, v, u in _units(extract, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The army has received 61 of the 70 trucks it ordered.", [(61.0, "truck"), (70.0, "truck")]),
        ("Only 8 out of 27 provinces reported growth.", [(8.0, "province"), (27.0, "province")]),
        ("Above 40 of these drones were shot down.", [(40.0, "drone")]),
    ],
)
def test_a_part_of_a_whole(extract, text, expected):
    found = [(v, u) for _, v, u in _units(extract, text)]
    assert all(e in found for e in expected)


def test_a_part_of_a_pronoun_is_no_figure(extract):
    assert _units(extract, "Five envoys came, and two of them stayed.") == [
        ("Five envoys", 5.0, "envoy")
    ]


def test_two_numbers_sharing_one_noun_are_two_figures(extract):
    found = _units(extract, "The two parties took 41 and 17 seats in the assembly.")
    assert ("41", 41.0, "seat") in found and ("17 seats", 17.0, "seat") in found


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The valid ballots were 3,118,402, the commission said.", 3118402.0, "ballot"),
        ("The total number of delegates present was 1,874.", 1874.0, "delegate"),
        ("The party improved on its previous tally of 61.", 61.0, "tally"),
        ("The haul raised the number of seized tankers to 212.", 212.0, "count"),
    ],
)
def test_a_tally_stated_apart_from_its_noun(extract, text, value, unit):
    assert (value, unit) in [(v, u) for _, v, u in _units(extract, text)]


@pytest.mark.parametrize(
    "text",
    [
        "Resolution 2334 was adopted without a vote.",
        "Article 7 of the treaty applies.",
        "The match starts at 8 pm.",
        "They met on May 14 in Oslo.",
        "The plant opened in 1998.",
        "The mayor, Ana Ruiz, 54, resigned.",
        "The rules are: (2) no fishing at night.",
        "The Boeing 737 Max was grounded again.",
        "The retailer sought Chapter 11 bankruptcy protection.",
        "The home side won 2-1 after extra time.",
        "The curfew starts at 2200 GMT.",
        "On page 12 of the report, the auditors list the risks.",
    ],
)
def test_numbers_that_label_or_date_something_are_no_figures(extract, text):
    assert _units(extract, text) == []


def test_an_amount_without_currency_takes_the_articles_currency(extract):
    text = ("The fund holds $40 billion in bonds. Its stake in ports is approaching 3 billion, "
            "a spokesman said.")
    assert ("3 billion", 3e9, "USD") in _units(extract, text)


def test_won_after_a_scale_is_the_korean_currency(extract):
    assert ("12 trillion won", 12e12, "KRW") in _units(
        extract, "The order is valued at 12 trillion won by local media."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The lira traded at 32.1 per dollar on Monday.", ("32.1 per dollar", 32.1, "per USD")),
        ("Brent settled at $91 per barrel.", ("$91 per barrel", 91.0, "USD per barrel")),
        ("The field pumps 300,000 barrels per day.", ("300,000 barrels per day", 3e5, "barrel per day")),
        ("The board declared a dividend of 35 cents per share.", ("35 cents per share", 35.0, "cent per share")),
    ],
)
def test_rates(extract, text, expected):
    assert expected in _units(extract, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The premier ends a 48-hour visit to Hanoi today.", (48.0, "hour")),
        ("The panel issued a 212-page report.", (212.0, "page")),
        ("A 15-member committee will review it.", (15.0, "member")),
        ("Trade grew to more than double the level of 2015.", (2.0, "multiplier")),
        ("The envoy has met the rebels only once.", (1.0, "meeting")),
    ],
)
def test_terms_compounds_and_multipliers(extract, text, expected):
    assert expected in [(v, u) for _, v, u in _units(extract, text)]


def test_no_multiplier_in_a_double_standard(extract):
    assert _units(extract, "Critics accused the bloc of a double standard.") == []


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("The two countries signed a pact.", 0),
        ("The coalition suffered losses in three states.", 1),
    ],
)
def test_the_two_parties_are_no_count_but_three_states_are(extract, text, n):
    assert len(_units(extract, text)) == n


def test_a_verbs_subject_is_not_what_its_object_counts(extract):
    [(_, value, unit)] = _units(extract, "The carmaker employs about 9,000 at its plant.")
    assert (value, unit) == (9000.0, "count")


def test_a_unit_of_measure_after_a_name_is_a_quantity(extract):
    assert (450.0, "MW") in [(v, u) for _, v, u in _units(
        extract, "Work began on the Lakeside 450 MW solar park.")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Repairs will cost between $4 billion and $6 billion.", (4e9, 6e9, "USD")),
        ("It will cost between 4 and 6 billion euros.", (4e9, 6e9, "EUR")),
        ("Between 20 and 30 ships were seized.", (20.0, 30.0, "ship")),
        # A scale glued to the number, or abbreviated, is the scale of both ends.
        ("The fund will invest between $4 and $6bn in the port.", (4e9, 6e9, "USD")),
        ("It will cost between 4 and 6 mln euros.", (4e6, 6e6, "EUR")),
        ("The budget is between Rs 2 and Rs 3 lakh crore.", (2e12, 3e12, "INR")),
    ],
)
def test_between_ranges(extract, text, expected):
    assert [(f.value, f.value_high, f.unit) for f in extract(text).figure_mentions] == [expected]


def test_a_number_word_after_a_figure_ends_its_span(extract):
    found = [(f.surface_text, f.value) for f in
             extract("The two parties won 16 and twelve seats.").figure_mentions]
    assert found == [("16", 16.0), ("twelve seats", 12.0)]


def test_between_two_different_things_is_no_range(extract):
    found = [(f.value, f.value_high) for f in extract("The gap between 3 men and 7 women is odd.")
             .figure_mentions]
    assert found == [(3.0, None), (7.0, None)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("One in five adults smokes.", 0.2), ("Only 1 out of 10 applicants was hired.", 0.1)],
)
def test_one_in_n_is_a_share(extract, text, value):
    assert [(f.value, f.unit) for f in extract(text).figure_mentions] == [(value, "fraction")]


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Exports hit a record in 7 months.", 0),
        ("Trade doubled over the next ten years.", 1),  # only the multiplier
        ("The hearings lasted 13 days.", 1),
    ],
)
def test_a_window_of_time_is_no_figure(extract, text, n):
    assert len(extract(text).figure_mentions) == n


def test_a_scaled_number_the_parse_says_counts_people_is_no_amount(extract):
    text = "The bank lent $5 billion. The region has a population of 1.4 billion."
    assert ("1.4 billion", 1.4e9, "population") in _units(extract, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The airline lost HK$5 billion last year.", ("HK$5 billion", 5e9, "HKD")),
        ("Canberra pledged A$1.2 billion in aid.", ("A$1.2 billion", 1.2e9, "AUD")),
        ("Taipei approved NT$240 billion for defence.", ("NT$240 billion", 2.4e11, "TWD")),
        ("Ottawa will spend CAD 3 billion on ports.", ("CAD 3 billion", 3e9, "CAD")),
    ],
)
def test_currency_symbols_from_cldr(extract, text, expected):
    assert expected in _units(extract, text)
