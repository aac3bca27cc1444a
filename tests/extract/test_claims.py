from dagster_project.lib.extract.claims import assertion_of


def _kinds(extract, text):
    return [(c.assertion, c.attributed_to) for c in extract(text).claims]


def test_plain_statement_is_asserted(extract):
    assert _kinds(extract, "Armenia and Azerbaijan exchanged prisoners on Sunday.") == [
        ("asserted", None)
    ]


def test_according_to_and_said_are_attributed():
    assert assertion_of("Trade grew by a third, according to the central bank.") == (
        "attributed",
        "the central bank",
    )
    kind, src = assertion_of("The border is calm, said defence analyst Anna Petrova.")
    assert kind == "attributed" and "Anna Petrova" in src


def test_hedges_are_hedged():
    assert assertion_of("Minsk has reportedly received new air-defence systems.")[0] == "hedged"
    assert assertion_of("The general is believed to have fled to Dubai.")[0] == "hedged"


def test_plans_and_predictions_are_forecasts():
    assert assertion_of("Ankara pledged to invest $2 billion in the port.")[0] == "forecast"
    assert (
        assertion_of("The minister predicted that exports would grow next year.")[0] == "forecast"
    )
    assert assertion_of("Cairo is negotiating a new gas contract with Israel.")[0] == "forecast"


def test_denials_are_negated():
    assert assertion_of("Belgrade denied sending weapons to the region.")[0] == "negated"


def test_questions_and_headings_are_not_claims(extract):
    x = extract(
        "Is this a new alliance?\n\nMilitary Cooperation Deepens\n\nThe two navies held joint drills in May 2021."
    )
    assert [c.text for c in x.claims] == ["The two navies held joint drills in May 2021."]
