"""Post-cleaning shared by text dumps and HTML (trafilatura output).

Works on the body paragraphs already chosen: generated author profiles,
repeated paragraphs, a closing author bio (which gives the author), a site
blurb at the very end, and a final paragraph cut off mid-sentence.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from . import patterns as P
from .lines import Line

# Only paragraphs this long count as repeated copies: short lines (list items,
# table rows, recipe steps, questions of an interview) legitimately repeat.
DUP_MIN = 20
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’.-]*$")
_NAME_PARTICLES = {"de", "van", "von", "al", "bin", "da", "di", "del", "der", "la", "le", "el", "ibn"}


def looks_like_name(text: str) -> bool:
    """2-5 capitalised words, no digits, no sentence punctuation: 'Jane Q. Doe'."""
    t = text.strip()
    if not t or any(c.isdigit() for c in t) or t[-1] in ".!?:;,":
        if not (t.endswith(".") and len(t.split()[-1]) <= 3):
            return False
    words = t.split()
    if not 2 <= len(words) <= 5:
        return False
    return all(_NAME_TOKEN.match(w) or w.lower() in _NAME_PARTICLES for w in words)


def bio_author(ln: Line) -> str | None:
    """Author name if the line is a short third-person bio ('X is a professor of ...')."""
    if ln.n > 90 or ln.n < 6:
        return None
    m = P.BIO.match(ln.text)
    if not m or not P.BIO_ROLE.search(ln.text):
        return None
    name = m.group("name").strip()
    if len(name.split()) < 2:
        return None
    return name


def is_lorem(ln: Line, words: list[str] | None = None) -> bool:
    """``words``: the line's lower-cased tokens (``ln.key.split()``) when already at hand."""
    if ln.n < 5:
        return False
    if words is None:
        words = ln.key.split()
    hits = sum(map(P.LOREM.__contains__, words))
    if not hits:
        return False
    # share of alphabetic tokens that are lorem-ipsum words
    return hits >= 0.6 * sum(map(str.isalpha, words))


# A photo credit glued to the end of a caption: '... missile systems Jane Roe/AGENCY',
# '... (via Pixabay)', 'Illustration only (Photo: Agency)'.
_CREDIT_TAIL = re.compile(
    r"(?:\b[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s*/\s*[A-Z][\w&.' -]{1,40}"
    r"|\((?:via|photo|image|credit|source|pic)s?\b[:\s]*[^()]{2,40}\))\s*$",
)
_CAPTION_HEAD = re.compile(r"^(?:illustration|file photo|photo|image|picture|pictured)s?\b", re.I)
MAX_CAPTION_WORDS = 15


def _caption_credits(lines: list[Line], labels: list[str | None], body: list[int]) -> None:
    """Captions with their photo credit between paragraphs: short, no sentence end,
    and a credit at the end of the line (a name/agency pair, '(via ...)')."""
    for i in body:
        ln = lines[i]
        t = ln.text.strip()
        if len(t.split()) > MAX_CAPTION_WORDS or t.endswith((".", "!", "?", ":", '"', "”")):
            continue
        if _CREDIT_TAIL.search(t) or (_CAPTION_HEAD.match(t) and "(" in t):
            labels[i] = "photo_credit"


def postclean(lines: list[Line], labels: list[str | None], html: bool = False,
              lows: list[list[str]] | None = None) -> tuple[str | None, int | None]:
    """Update ``labels`` in place for body lines; return (author from bio, truncated line index).
    ``lows``: each line's lower-cased tokens, when already at hand (``Page.lows``)."""
    body = [i for i, lab in enumerate(labels) if lab is None]
    _caption_credits(lines, labels, body)
    body = [i for i, lab in enumerate(labels) if lab is None]
    author, bios = _lorem_and_bios(lines, labels, body, lows)
    _repeated_paragraphs(lines, labels, body, bios)
    _second_article_copy(lines, labels, body)
    if bios:
        _links_after_bio(lines, labels, body, bios[0])
    _second_bio_copies(lines, labels, body, bios)
    _closing_site_blurb(lines, labels)
    return author, _dangling_end(lines, labels, html)


def _lorem_and_bios(lines: list[Line], labels: list[str | None], body: list[int],
                    lows: list[list[str]] | None) -> tuple[str | None, list[int]]:
    """Label lorem-ipsum lines 'other' and closing author bios 'author_bio'; return the
    first bio's author and the bio lines."""
    author = None
    bios: list[int] = []
    total = len(body)
    for pos, i in enumerate(body):
        ln = lines[i]
        if is_lorem(ln, lows[i] if lows is not None else None):
            labels[i] = "other"
            continue
        # A bio sits in the closing part of the body.
        if pos >= 0.5 * total or total <= 2:
            name = bio_author(ln)
            if name:
                labels[i] = "author_bio"
                bios.append(i)
                author = author or name
    return author, bios


def _repeated_paragraphs(lines: list[Line], labels: list[str | None], body: list[int],
                         bios: list[int]) -> None:
    """Keep the first copy of a repeated long paragraph ('duplicate_paragraph'); a long
    paragraph close to an earlier bio is a second copy of it ('author_bio').

    A paragraph found three or more times is structure (a meal plan, an interview's
    recurring question), not a scraping repeat: all its copies are kept.
    """
    counts: dict[str, int] = {}
    for i in body:
        counts[lines[i].key] = counts.get(lines[i].key, 0) + 1
    seen: dict[str, int] = {}
    for i in body:
        if labels[i] is not None:  # (lorem, bios)
            continue
        ln = lines[i]
        key = ln.key
        if not key or counts.get(key, 0) >= 3:
            continue
        if key in seen and ln.n >= DUP_MIN:
            labels[i] = "duplicate_paragraph"
            continue
        if ln.n >= DUP_MIN and any(b < i and fuzz.ratio(lines[b].key, key) >= 90 for b in bios):
            labels[i] = "author_bio"
            continue
        seen.setdefault(key, i)


def _second_article_copy(lines: list[Line], labels: list[str | None], body: list[int]) -> None:
    """A page holding its article twice (a print or AMP copy, a 'most read' rail that
    repeats the story): once two long paragraphs repeat, every later body line that
    repeats a line of the first copy, short ones included, is 'duplicate_paragraph'.
    One repeated paragraph alone is left to :func:`_repeated_paragraphs`, and so is a
    page whose lines recur three or more times (a meal plan, a recurring question):
    that is structure, not a copy."""
    dups = [i for i in body if labels[i] == "duplicate_paragraph"]
    if len(dups) < 2:
        return
    counts: dict[str, int] = {}
    for i in body:
        if lines[i].key:
            counts[lines[i].key] = counts.get(lines[i].key, 0) + 1
    if max(counts.values()) >= 3:
        return
    first_at: dict[str, int] = {}
    for i, ln in enumerate(lines):
        if ln.key:
            first_at.setdefault(ln.key, i)
    # The second copy starts at the first duplicate, or earlier where the lines just
    # before it (its headline, a short lead) repeat too.
    pos = body.index(dups[0])
    while pos > 0 and first_at.get(lines[body[pos - 1]].key, body[pos - 1]) < body[pos - 1]:
        pos -= 1
    start = body[pos]
    for i in body[pos:]:
        if labels[i] is None and first_at.get(lines[i].key, i) < start:
            labels[i] = "duplicate_paragraph"


def _links_after_bio(lines: list[Line], labels: list[str | None], body: list[int], bio: int) -> None:
    """After a closing bio, a headline-like line starts the site's link lists:
    'related_links' from there on."""
    cut = False
    for i in body:
        if i <= bio:
            continue
        if labels[i] is None and not cut and lines[i].n < 25 and not lines[i].ends_sentence:
            cut = True
        if cut and labels[i] is None:
            labels[i] = "related_links"


def _second_bio_copies(lines: list[Line], labels: list[str | None], body: list[int],
                       bios: list[int]) -> None:
    """Near-duplicate second copies of a bio, wherever they stand: 'author_bio'."""
    for i in body:
        if labels[i] is None and lines[i].n >= 10:
            for b in bios:
                if b != i and fuzz.ratio(lines[b].key, lines[i].key) >= 90:
                    labels[i] = "author_bio"
                    break


def _closing_site_blurb(lines: list[Line], labels: list[str | None]) -> None:
    """A site blurb closing the body ('... brought to you ...'), with its site-name line above."""
    body = [i for i, lab in enumerate(labels) if lab is None]
    if len(body) >= 3:
        last = body[-1]
        if P.SITE_BLURB.search(lines[last].text) and lines[last].n <= 80:
            labels[last] = "site_blurb"
            prev = body[-2]
            if lines[prev].n <= 5 and not lines[prev].ends_sentence:
                labels[prev] = "site_name"


def _dangling_end(lines: list[Line], labels: list[str | None], html: bool) -> int | None:
    """Label trailing short lines left dangling at the end of a text dump's body 'footer';
    return the last body line when it is cut off mid-sentence (truncated), else None."""
    body = [i for i, lab in enumerate(labels) if lab is None]
    while not html and len(body) > 1 and lines[body[-1]].n < 8 and not lines[body[-1]].ends_sentence:
        labels[body[-1]] = "footer"
        body.pop()
    if body:
        last = lines[body[-1]]
        if last.n >= 8 and not last.ends_sentence:
            return body[-1]
    return None
