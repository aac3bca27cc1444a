"""Actors beyond the alias table: companies, media, titled people (issue 12).

Every sentence here is written for the test.
"""

from __future__ import annotations

import pytest

from dagster_project.lib.extract.orgs import credit_context, org_candidate, org_type


def _actors(extract, text):
    return {(m.canonical_name, m.actor_type) for m in extract(text).actor_mentions}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Hyundai Heavy Industries", "company"),
        ("Acme Holdings", "company"),
        ("BlueRiver", "company"),
        ("Lagos Herald", "media"),
        ("Interfax", "media"),
        ("Federal Reserve Board", "organization"),
    ],
)
def test_org_type_from_the_name(name, kind):
    assert org_type(name) == kind


def test_credits_are_not_actors():
    assert credit_context(" (", ") ")
    assert credit_context("Smith/", "")
    assert not credit_context("said ", " on")
    assert org_candidate("Xinhua", "(", ")") is None


@pytest.mark.parametrize("text", ["UAVs", "MoUs", "the COVID", "Brexit", "Package 9", "the\nBoard"])
def test_shapes_that_are_not_organisations(text):
    assert org_candidate(text, " ", " ") is None


def test_companies_and_outlets_named_by_the_model_are_actors(extract):
    found = _actors(
        extract,
        "Texas Instruments agreed to buy a smaller chip maker, NDTV reported on its website.",
    )
    assert ("Texas Instruments", "company") in found
    assert any(name == "NDTV" for name, _ in found)


def test_a_titled_person_inside_a_mislabelled_span(extract):
    found = _actors(extract, "Estonian PM Kaja Kallas said the aid would continue next year.")
    assert ("Kaja Kallas", "person") in found
    assert ("Estonia", "country") in found


def test_an_agency_credit_in_a_dateline_is_not_an_actor(extract):
    found = _actors(extract, "The ministry said talks would resume soon (Reuters).")
    assert not any(name == "Reuters" for name, _ in found)


def test_a_lone_surname_the_model_calls_an_organisation_is_the_person(extract):
    found = _actors(
        extract,
        "Prime Minister Sanna Virtanen met the delegation in the morning. "
        "Virtanen said the talks had gone well.",
    )
    assert ("Virtanen", "organization") not in found
    assert ("Sanna Virtanen", "person") in found
