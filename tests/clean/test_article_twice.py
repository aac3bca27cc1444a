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
