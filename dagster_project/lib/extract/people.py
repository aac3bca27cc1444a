"""People's names within one article, and state names written with a typo.

- :func:`extend_left`: the model often drops a given name at the start of a
  sentence or before a middle name ('Bola Ahmed Tinubu' tagged 'Ahmed Tinubu');
  the parse still attaches the dropped word to the name as a compound, which
  gives it back.
- :func:`same_person_longer`: one person written twice in an article, once with
  fewer names or in another order ('Ahmed Tinubu', 'Tinubu Bola Ahmed',
  'Bola Ahmed Tinubu'), maps to the fullest form when exactly one fuller form
  holds every word of the shorter one. Two people sharing a surname ('Boris
  Rotenberg', 'Igor Rotenberg') never match: the given names differ.
- :func:`fuzzy_country`: a place the model tags that is no known state but is
  one letter off a country's name ('Cyrus' for 'Cyprus'), by rapidfuzz.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz import fuzz, process


def extend_left(ent, is_name_word) -> int:
    """Start character of ``ent`` widened over the capitalised compounds the parse
    attaches to it from the left; ``is_name_word(text)`` says which words may join."""
    doc = ent.doc
    i = ent.start
    inside = {t.i for t in ent}
    while i > 0:
        t = doc[i - 1]
        if t.pos_ != "PROPN" or t.dep_ != "compound" or t.head.i not in inside:
            break
        if not is_name_word(t.text):
            break
        inside.add(t.i)
        i -= 1
    return doc[i].idx


def _key(name: str) -> list[str]:
    """The words compared between one person's spellings within an article: accents
    dropped, lower case, the article 'al-'/'el-' dropped ('al-Sudani' = 'Sudani').
    Unlike ``actor_names.words`` (across articles), hyphens do not split: a
    hyphenated given name ('Kassym-Jomart') is one word, never matched by a part."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"(?i)\b(?:al|el)-", "", plain).lower().split()


def same_person_longer(names: list[str]) -> dict[str, str]:
    """Name -> the spelling of the same person to use instead, for each name whose
    words all appear in the fullest names of exactly one person (orderings of
    one set of words are one person; of those, the first in sorted order wins)."""
    keys = {n: frozenset(_key(n)) for n in names}
    by_words: dict[frozenset, list[str]] = {}
    for n, k in keys.items():
        by_words.setdefault(k, []).append(n)
    spelling = {k: sorted(v)[0] for k, v in by_words.items()}
    out: dict[str, str] = {}
    for words, group in by_words.items():
        if len(words) < 2:
            continue
        fuller = [w for w in by_words if w > words]
        target = spelling[words]
        if fuller:
            maximal = [w for w in fuller if not any(w < x for x in fuller)]
            if len(maximal) != 1:
                continue  # 'Ahmed Tinubu' under two different fuller names: leave it
            target = spelling[maximal[0]]
        for n in group:
            if n != target:
                out[n] = target
    return out


@functools.lru_cache(maxsize=1)
def _country_names() -> list[str]:
    return list(_countries())


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            v = getattr(c, attr, None)
            if v and "," not in v:
                names[v] = getattr(c, "common_name", None) or c.name
    return names


def fuzzy_country(text: str, lexicon) -> str | None:
    """The canonical country a misspelt place name stands for, or None.

    Only names of five letters or more, with the same first letter, at most one
    edit away in a ratio sense (rapidfuzz ratio >= 90); the lexicon's own
    canonical form wins (pycountry's 'Türkiye' -> the table's 'Turkey')."""
    if len(text) < 5 or not text[:1].isupper() or text in lexicon:
        return None
    names = _countries()
    hit = process.extractOne(text, _country_names(), scorer=fuzz.ratio, score_cutoff=90)
    if hit is None or hit[0][:1] != text[:1]:
        return None
    entry = lexicon.get(hit[0])
    return entry.canonical if entry is not None else names[hit[0]]
