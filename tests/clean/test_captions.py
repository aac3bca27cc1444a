"""Photo captions with their credit between body paragraphs (lib/clean/postclean.py)."""

from __future__ import annotations

from dagster_project.lib.clean import clean_document

PARAS = [
    "The coastguard said on Monday that two trawlers had been seized off the northern coast "
    "after a chase that lasted most of the night, and that their crews were being questioned.",
    "Officials said the vessels had switched off their transponders several times in the past "
    "month, a practice the agency says is common among boats fishing in closed waters.",
    "A court in the port city will decide next week whether the catch is to be confiscated, "
    "the agency added in a statement published on its website.",
]


def _clean(caption: str) -> tuple[str, list[str]]:
    raw = "\n\n".join([PARAS[0], caption, PARAS[1], PARAS[2]]) + "\n"
    c = clean_document(raw, "text")
    return c.body_text, [b.text for b in c.removed_blocks if b.reason == "photo_credit"]


def test_a_caption_ending_with_photographer_and_agency_is_removed():
    body, credits = _clean("Fishing trawlers moored in the harbour Maria Lopes/Agencia")
    assert "Maria Lopes/Agencia" not in body
    assert credits == ["Fishing trawlers moored in the harbour Maria Lopes/Agencia"]
    assert all(p in body for p in PARAS)


def test_an_illustration_credit_is_removed():
    body, credits = _clean("Illustration only (via Pixabay)")
    assert "Pixabay" not in body and credits


def test_a_short_heading_with_a_slash_stays():
    body, _ = _clean("Fishing rights and the EU/UK accord")
    assert "Fishing rights and the EU/UK accord" in body


def test_a_source_label_with_names_only_is_a_credit():
    body, credits = _clean("Source: Harbour Police via Maria Lopes/Agencia")
    assert "Harbour Police" not in body and credits


def test_a_source_line_that_attributes_the_story_stays_in_the_body():
    line = ("Source: the fisheries minister, in an interview after the cabinet met on Tuesday, "
            "as quoted by the Coastal Herald")
    body, credits = _clean(line)
    assert line in body and not credits
