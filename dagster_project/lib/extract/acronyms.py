"""Acronyms and the names they abbreviate.

An acronym stands for a name when its letters are the initials of the name's
words, in order: 'TI' for 'Texas Instruments', 'DAPA' for 'Defense Acquisition
Program Administration', 'ECB' for 'European Central Bank'. Function words
('of', 'the', 'and', 'for') may be skipped or counted ('BoE', 'MoD'), and a
hyphenated word may give one letter per part ('China-Arab' -> 'CA'). Used within
one article only: an acronym is resolved to a name the same article uses, never
to a name from elsewhere.
"""

from __future__ import annotations

import functools
import re

_SMALL = {"of", "the", "and", "for", "on", "de", "&", "in"}


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-‐–]+", name) if w]


@functools.lru_cache(maxsize=4096)
def initials_match(acronym: str, name: str) -> bool:
    """True when ``acronym`` (letters only, case-insensitive) spells the initials of ``name``."""
    letters = re.sub(r"[^A-Za-z]", "", acronym).lower()
    words = _words(name)
    if len(letters) < 2 or len(words) < 2:
        return False

    def walk(i: int, j: int) -> bool:
        if j == len(letters):
            return all(w.lower() in _SMALL for w in words[i:])
        if i == len(words):
            return False
        w = words[i].lower()
        if w[0] == letters[j] and walk(i + 1, j + 1):
            return True
        return w in _SMALL and walk(i + 1, j)

    return walk(0, 0)
