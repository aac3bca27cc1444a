"""Sentence splitting with character spans, and heading/question detection."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens that end with a period without ending the sentence.
_ABBREV = {
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "col",
    "lt",
    "capt",
    "sgt",
    "adm",
    "gov",
    "sen",
    "rep",
    "st",
    "jr",
    "sr",
    "no",
    "nos",
    "vs",
    "etc",
    "approx",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "est",
    "fig",
    "vol",
    "op",
    "cf",
    "al",
    "md",
    "mt",
    "ft",
}
_PARA = re.compile(r"[^\n]+")
# Candidate boundary: terminal punctuation, optional closing quotes/brackets,
# whitespace, then something that can open a sentence.
_BOUNDARY = re.compile(r"([.!?]+)([\"'”’)\]]*)(\s+)(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    kind: str  # claim | question | heading | fragment


_WORD_WINDOW = 64
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_abbrev(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial."""
    # Only the word before the dot matters: look at a bounded window, so a paragraph
    # of n characters costs O(n) overall, not O(n) per period (a page on one line).
    lo = max(0, dot - _WORD_WINDOW)
    m = _LAST_WORD.search(text, lo, dot)
    if not m:
        return False
    if m.start() == lo and lo > 0 and _LAST_WORD.match(text, lo - 1, lo):
        return False  # a word longer than the window: no abbreviation or initials are
    word = m.group(1)
    if word.lower().rstrip(".") in _ABBREV:
        return True
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?", word + "") or len(word) == 1 and word.isupper():
        # Initials and dotted acronyms (U.S., J.) – a boundary only before a
        # clear sentence opener is rare enough to ignore.
        return True
    return False


# A 'sentence' longer than this is run-on text without usable boundaries (a page
# flattened to one line): a fragment, not a claim, so the per-claim analyses
# never see unbounded spans.
MAX_CLAIM_CHARS = 2_000


def _classify(text: str) -> str:
    if len(text) > MAX_CLAIM_CHARS:
        return "fragment"
    stripped = text.rstrip("\"'”’) ")
    words = text.split()
    if stripped.endswith("?"):
        return "question"
    if not stripped.endswith((".", "!", ":", ";")):
        # No terminal punctuation: a heading, a dateline or a list item.
        if len(words) <= 20 and not re.search(r"[.!?]\s", text):
            return "heading"
    if len(words) < 4:
        return "fragment"
    return "claim"


def split_sentences(body: str, end: int | None = None) -> list[Sentence]:
    """Split ``body[:end]`` into sentences; spans index ``body``.

    A sentence that runs past ``end`` (a truncated tail) is dropped, so nothing
    after the truncation point becomes a claim.
    """
    limit = len(body) if end is None else max(0, min(end, len(body)))
    out: list[Sentence] = []
    for para in _PARA.finditer(body, 0, len(body)):
        p_start, _p_end = para.start(), para.end()
        if p_start >= limit:
            break
        text = para.group(0)
        cuts = [0]
        for m in _BOUNDARY.finditer(text):
            dot = m.start(1)
            if m.group(1) == "." and _is_abbrev(text, dot):
                continue
            cuts.append(m.end(3) - 0)
        cuts.append(len(text))
        for a, b in zip(cuts, cuts[1:], strict=False):
            seg = text[a:b]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg) - len(seg.rstrip())
            s, e = p_start + a + lead, p_start + b - trail
            if e <= s:
                continue
            if e > limit:
                # Runs into the truncated tail: not a complete sentence.
                continue
            out.append(Sentence(s, e, body[s:e], _classify(body[s:e])))
    return out
