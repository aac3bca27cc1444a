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
