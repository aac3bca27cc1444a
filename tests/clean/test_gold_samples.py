"""The cleaner against the hand-made gold annotation of the five sample dumps.

tests/data/gold/seeds.yaml lists, per sample: title, author, published date,
first/last body line, every boilerplate line (or a >= 30-char prefix), the
repeated paragraphs, the truncation and the author-bio lines.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from dagster_project.lib.clean import clean_document

ROOT = Path(__file__).resolve().parents[2]
GOLD = yaml.safe_load((ROOT / "tests/data/gold/seeds.yaml").read_text(encoding="utf-8"))["articles"]
STEMS = sorted(GOLD)


def _raw(stem: str) -> str:
    return (ROOT / "raw" / f"{stem}.txt").read_text(encoding="utf-8")


def _lines(raw: str) -> list[str]:
    return [ln.strip() for ln in raw.splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def cleaned():
    return {stem: clean_document(_raw(stem), "text") for stem in STEMS}


def _body_lines(article) -> list[str]:
    return [p.strip() for p in article.body_text.split("\n\n") if p.strip()]


@pytest.mark.parametrize("stem", STEMS)
def test_every_gold_boilerplate_line_is_removed(cleaned, stem):
    body = _body_lines(cleaned[stem])
    gold = GOLD[stem]
    dup_prefixes = gold.get("duplicate_paragraphs") or []
    for bp in gold.get("boilerplate_lines") or []:
        hits = [b for b in body if b.startswith(bp)]
        assert not hits, f"boilerplate kept in body: {bp!r}"
    # Repeated paragraphs: exactly one copy is kept.
    for prefix in dup_prefixes:
        assert sum(1 for b in body if b.startswith(prefix)) == 1, prefix


@pytest.mark.parametrize("stem", STEMS)
def test_no_gold_body_line_is_lost(cleaned, stem):
    """Every dump line that is not listed boilerplate and not header metadata stays in the body."""
    art = cleaned[stem]
    gold = GOLD[stem]
    body = set(_body_lines(art))
    boiler = list(gold.get("boilerplate_lines") or [])
    lines = _lines(_raw(stem))
    first = lines.index(gold["body_first_line"])
    assert gold["body_first_line"] in body
    for ln in lines[first:]:
        if any(ln.startswith(bp) for bp in boiler):
            continue
        assert ln in body, f"body line lost: {ln[:80]!r}"
    last = gold["body_last_line"]
    displaced = gold.get("displaced_body_lines") or []
    # The last body paragraph is the gold one, or a displaced body line kept in file order.
    assert _body_lines(art)[-1] == last or any(_body_lines(art)[-1].startswith(d) for d in displaced)


@pytest.mark.parametrize("stem", STEMS)
def test_metadata_matches_gold(cleaned, stem):
    art = cleaned[stem]
    gold = GOLD[stem]
    assert art.title == gold["title"]
    assert art.author == gold["author"]
    want = dt.date.fromisoformat(gold["published"]) if gold["published"] else None
    assert art.published_date == want


@pytest.mark.parametrize("stem", STEMS)
def test_truncation_matches_gold(cleaned, stem):
    art = cleaned[stem]
    gold = GOLD[stem]
    if gold.get("truncated"):
        assert art.truncated_from is not None
        assert art.body_text[art.truncated_from:] == gold["truncated_fragment"]
    else:
        assert art.truncated_from is None


@pytest.mark.parametrize("stem", STEMS)
def test_author_bio_lines_are_removed_as_author_bio(cleaned, stem):
    art = cleaned[stem]
    for bio in GOLD[stem].get("author_bio_lines") or []:
        reasons = {b.reason for b in art.removed_blocks if b.text.startswith(bio)}
        assert reasons == {"author_bio"}, bio


@pytest.mark.parametrize("stem", STEMS)
def test_every_non_body_line_is_accounted_for_with_its_span(cleaned, stem):
    raw = _raw(stem)
    art = cleaned[stem]
    body = set(_body_lines(art))
    for blk in art.removed_blocks:
        assert raw[blk.raw_start:blk.raw_end] == blk.text
    removed = {b.text for b in art.removed_blocks}
    for ln in _lines(raw):
        assert ln in body or ln in removed, ln[:80]


def test_fake_profile_in_sample_003_is_removed_and_never_the_author(cleaned):
    art = cleaned["003_f9f491b155f789e9"]
    assert art.author is None
    fake = [b for b in art.removed_blocks if b.reason == "fake_author_profile"]
    assert any("Dr. Alba Bayer" in b.text for b in fake)
    assert "Alba Bayer" not in art.body_text
