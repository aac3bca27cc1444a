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
_DIGIT = re.compile(r"\d")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
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
    return [st for st in map(stem, words(text)) if st]


def numbers(text: str) -> frozenset[str]:
    """The numbers a sentence states, normalised ('1,700' -> '1700')."""
    if not _DIGIT.search(text):
        return _EMPTY
    found = _NUMBER.findall(text)
    return frozenset(n.replace(",", "") for n in found) if "," in text else frozenset(found)


_ASCII_WORDS = str.maketrans(
    {chr(i): " " for i in range(128) if not (chr(i).isascii() and chr(i) in _ALNUM)}
)
_EMPTY: frozenset[str] = frozenset()


# ASCII bytes: A-Z lowered, [a-z0-9] kept, everything else a space (one table lookup
# per byte, several times faster than str.lower plus str.translate with a dict).
_ASCII_WORD_BYTES = bytes(
    b + 32 if 65 <= b <= 90 else b if chr(b) in _ALNUM else 32 for b in range(256)
)


def words(text: str) -> list[str]:
    """The lower-cased [a-z0-9]+ tokens of a sentence, in order (those of normalised_key)."""
    if text.isascii():  # lower() of ASCII is A-Z -> a-z only
        return text.encode().translate(_ASCII_WORD_BYTES).decode().split()
    low = text.lower()
    # Lower-cased non-ASCII text can be ASCII (the Kelvin sign): every character other
    # than [a-z0-9] becomes a space, the same tokens as _WORD.findall.
    return low.translate(_ASCII_WORDS).split() if low.isascii() else _WORD.findall(low)


def numbers_of_words(text: str, normalised: str) -> frozenset[str]:
    """:func:`numbers` of ``text`` given its normalised key: an ASCII sentence has a
    digit only if its key has one, which is checked without a regex."""
    if text.isascii() and normalised.replace(" ", "").isalpha():
        return _EMPTY
    return numbers(text)


def stem(word: str) -> str:
    """Stem of one token as content_stems makes it; '' for a stop word or a short word."""
    if word in STOPWORDS or (len(word) < 3 and not word.isdigit()):
        return ""
    return word if word.isdigit() else word[:STEM_LENGTH]


def analyse(text: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """(normalised_key, content_stems, numbers) of one sentence.

    Clustering itself calls :func:`words` for every sentence and works out the
    stems and numbers only once per distinct normalised text.
    """
    tokens = words(text)
    return " ".join(tokens), tuple(st for st in map(stem, tokens) if st), numbers(text)


_SCALED = re.compile(
    r"[$€£]\s?(\d+(?:[.,]\d+)*)|(\d+(?:[.,]\d+)*)\s?(?:%|percent|per cent|"
    r"thousand|million|billion|trillion|bn|mln)\b",
    re.IGNORECASE,
)


_DISTINCTIVE_CACHE: dict[frozenset[str], frozenset[str]] = {}
# Every match of _SCALED contains one of these (in ASCII text, in lower case).
_SCALE_HINTS = ("$", "%", "cent", "thousand", "million", "billion", "trillion", "bn", "mln")


def _may_scale(text: str) -> bool:
    """False only if _SCALED cannot match: a cheap filter before the regex."""
    if not text.isascii():
        return True  # case folding beyond ASCII: let the regex decide
    low = text.lower()
    return any(h in low for h in _SCALE_HINTS)


def distinctive_numbers(nums: frozenset[str], text: str = "") -> frozenset[str]:
    """Numbers that identify a claim: figures and years, not list markers ('Geran-1').

    A number of at least three digits, or one with a decimal part, is rarely a
    coincidence; '1', '2' or '6' are (counts, versions, model suffixes) unless
    they carry a currency or a scale ('$40 billion', '12 percent').
    """
    out = _DISTINCTIVE_CACHE.get(nums)  # the part that depends on the numbers alone
    if out is None:
        if len(_DISTINCTIVE_CACHE) >= 1_000_000:
            _DISTINCTIVE_CACHE.clear()
        out = frozenset(n for n in nums if len(n.replace(".", "")) >= 3 or "." in n)
        _DISTINCTIVE_CACHE[nums] = out
    if text and nums and _may_scale(text):
        scaled = [(m.group(1) or m.group(2)).replace(",", "") for m in _SCALED.finditer(text)]
        if scaled:
            out = out.union(scaled)
    return out


def normalised_key(text: str) -> str:
    """Key under which verbatim (case/punctuation/whitespace-insensitive) copies collide."""
    return " ".join(words(text))
