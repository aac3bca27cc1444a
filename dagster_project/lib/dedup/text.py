"""Text normalisation for near-duplicate detection: sentences, content-word stems, numbers.

Paraphrases keep the content words (often inflected differently) and the
numbers, and change the function words and the order; so sentences are compared
as sets of crude stems of their content words, and two sentences whose numbers
differ are never the same claim.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Function words and the glue of journalistic prose; they carry no identity.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how however i if in into
    is it its itself just may me might more most much must my no nor not now of off on once
    only or other our out over own same she should so some such than that the their theirs
    them then there these they this those through thus to too under until up upon very was
    we were what when where which while who whom why will with would yet you your
    said says also moreover furthermore additionally meanwhile therefore indeed already
    two one new""".split()
)
STEM_LENGTH = 6  # prefix stemming: 'established'/'establishment' -> 'establ'


def split_sentences(text: str) -> list[str]:
    """Fallback sentence split for articles that have no extracted claims."""
    out = []
    for m in _SENTENCE.finditer(text):
        s = m.group(0).strip()
        if len(s) > 20:
            out.append(s)
    return out


def content_stems(text: str) -> list[str]:
    """Lower-cased prefix stems of the content words, in order (numbers kept whole)."""
    out = []
    for w in _WORD.findall(text.lower()):
        if w in STOPWORDS or (len(w) < 3 and not w.isdigit()):
            continue
        out.append(w if w.isdigit() else w[:STEM_LENGTH])
    return out


def numbers(text: str) -> frozenset[str]:
    """The numbers a sentence states, normalised ('1,700' -> '1700')."""
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def normalised_key(text: str) -> str:
    """Key under which verbatim (case/punctuation/whitespace-insensitive) copies collide."""
    return " ".join(_WORD.findall(text.lower()))
