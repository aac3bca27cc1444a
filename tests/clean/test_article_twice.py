"""A page that holds its article twice keeps one copy (lib/clean/postclean.py). Text written for the test."""

from __future__ import annotations

from dagster_project.lib.clean import clean_document
from dagster_project.lib.extract import extract_article

ARTICLE = [
    "Harbour authority approves new container terminal",
    "The port authority on Tuesday approved a new container terminal that will cost 1.2 billion "
    "euros and add 14 berths to the harbour, officials said.",
    "The terminal is expected to handle 2 million containers a year.",
    "Dock workers welcomed the decision.",
    "Construction will start in the spring and take about four years, the authority said in a "
    "statement, adding that 600 permanent jobs would be created once it opens.",
    "Environmental groups said they would study the plans closely before deciding whether to "
    "challenge them in court.",
]


def _page(second_copy: list[str]) -> str:
    return ("Home | News | Sport | Business\nSearch\n\n" + "\n\n".join(ARTICLE)
            + "\n\nMost read\n\n" + "\n\n".join(second_copy)
            + "\n\nCopyright 2024 Harbour Times. All rights reserved.\n")


def test_the_second_copy_of_an_article_is_removed_short_paragraphs_too():
    c = clean_document(_page(ARTICLE), "text")
    for para in ARTICLE[1:]:
        assert c.body_text.count(para) == 1
    dropped = [b.text for b in c.removed_blocks if b.reason == "duplicate_paragraph"]
    assert "Dock workers welcomed the decision." in dropped
    figures = [f.surface_text for f in extract_article(c.body_text).figure_mentions]
    assert figures.count("2 million containers") == 1


def test_a_paragraph_only_the_second_copy_holds_stays():
    update = ("The transport minister confirmed on Wednesday evening that the state would "
              "guarantee a third of the loans needed for the terminal.")
    c = clean_document(_page(ARTICLE[:3] + [update] + ARTICLE[3:]), "text")
    assert update in c.body_text
    assert c.body_text.count(ARTICLE[3]) == 1


def test_a_plan_whose_lines_recur_is_structure_not_a_copy():
    day = ["Breakfast", "Eat within an hour of waking up",
           "Two boiled eggs, a slice of rye bread with butter, a cup of black coffee and a "
           "glass of orange juice, or a bowl of porridge with berries and honey instead."]
    intro = ("This week's plan keeps the same rhythm every day so that shopping stays simple, "
             "the dietitian explained in an interview on Sunday.")
    lunch = ("Lunch is a bowl of lentil soup with a green salad and a wholegrain roll, "
             "followed by a piece of fruit of your choice.")
    days = [day + [lunch] for _ in range(3)]
    days[2] = [ln.replace("porridge", "muesli").replace("lentil", "tomato") for ln in days[2]]
    text = "\n\n".join([intro] + [ln for d in days for ln in d]) + "\n"
    c = clean_document(text, "text")
    assert c.body_text.count("Eat within an hour of waking up") == 3
