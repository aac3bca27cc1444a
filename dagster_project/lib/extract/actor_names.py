"""One name per actor across articles: the cross-article resolver.

The extractor resolves names within one article ('Merkel' -> 'Angela Merkel');
across articles one actor can still arrive spelled differently. This module
decides, over every name the extractor produced, which of them are one actor,
and the pipeline writes the answer to ``raw.actor_names`` (raw name -> name),
which dbt joins (``stg_raw__actor_names``). It is recomputed from all names on
every run, so a new article that brings a fuller or more frequent spelling
changes the name of the actor everywhere, and a removed article's spellings
drop out.

Merges, conservative by design (two different people are never merged):

1. the same words up to accents, case, punctuation and order ('Erdoğan' /
   'Erdogan', 'Tinubu Bola Ahmed' / 'Bola Ahmed Tinubu');
2. a person's 'Given Surname' -> the one fuller name with the same first and
   last word and all its words ('Recep Erdogan' -> 'Recep Tayyip Erdogan');
3. a person's lone name -> the one full name ending with it, or, when no full
   name ends with it, the one starting with it (family name first: 'Xi');
4. spelling variants (rapidfuzz): people whose names have the same number of
   words and every word the same up to transliteration (the consonant skeleton
   of a word of five letters or more: 'Mohammed' / 'Muhammad', 'Zelensky' /
   'Zelenskyy'; shorter words must be equal, so 'Ali' and 'Ala' stay two
   people); organisations whose folded names are near-identical (ratio >= 92,
   ten letters or more: 'Hanwha Defense' / 'Hanwha Defence').

The most-mentioned spelling names the merged actor (ties: the longer, then
the first in sorted order).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .. import build_state
from ..warehouse import code_version, insert_many, rollback


@dataclass(frozen=True)
class Name:
    name: str
    actor_type: str
    n_mentions: int


def words(name: str) -> list[str]:
    """Lower-case ASCII words: accents dropped, hyphens split, punctuation removed."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[-‐–]", " ", plain)
    return re.sub(r"[^a-z0-9 ]+", "", plain).split()


_VOWELISH = re.compile(r"[aeiouyhw]")
_REPEATS = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """Consonants without repeats, after the first letter: transliterations of one
    name differ mostly in vowels and doubled letters."""
    return word[:1] + _REPEATS.sub(r"\1", _VOWELISH.sub("", word[1:]))


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0]:
        return False
    return skeleton(a) == skeleton(b) or fuzz.ratio(a, b) >= 90


class _Union:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def resolve(names: list[Name]) -> dict[str, str]:
    """Raw name -> the name of the actor it belongs to, for every name given."""
    info = {n.name: n for n in names}
    uf = _Union(list(info))
    is_person = {n: info[n].actor_type == "person" for n in info}
    folded = {n: words(n) for n in info}

    # 1. same words, any order
    by_fold: dict[tuple, list[str]] = defaultdict(list)
    for n, w in folded.items():
        by_fold[tuple(sorted(w))].append(n)
    for group in by_fold.values():
        for other in group[1:]:
            uf.union(group[0], other)

    people = [n for n in info if is_person[n] and folded[n]]
    full = [n for n in people if len(folded[n]) >= 2]
    # Full names indexed by their ends, so steps 2 and 3 look up candidates rather
    # than scan every full name for each name (quadratic in the corpus's people).
    by_ends: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_word_at: dict[tuple[int, str], list[str]] = defaultdict(list)
    for f in full:
        by_ends[(folded[f][0], folded[f][-1])].append(f)
        by_word_at[(-1, folded[f][-1])].append(f)
        by_word_at[(0, folded[f][0])].append(f)
    # 2. 'Given Surname' -> the one fuller name with the same ends and all its words
    for n in full:
        w = folded[n]
        hits = {
            uf.find(f)
            for f in by_ends[(w[0], w[-1])]
            if len(folded[f]) > len(w) and set(w) <= set(folded[f])
        }
        if len(hits) == 1:
            uf.union(hits.pop(), n)
    # 3. a lone name -> the one full name ending (else starting) with it
    for n in people:
        if len(folded[n]) != 1:
            continue
        w = folded[n][0]
        for pos in (-1, 0):
            hits = {uf.find(f) for f in by_word_at[(pos, w)]}
            if hits:
                if len(hits) == 1:
                    uf.union(hits.pop(), n)
                break
    # 4. spelling variants, compared within blocks that must agree anyway: people by
    # word count and every word's first letter (two words that differ must share it),
    # organisations by first letter, scored together by rapidfuzz's cdist.
    people_blocks: dict[tuple, list[str]] = defaultdict(list)
    org_blocks: dict[str, list[str]] = defaultdict(list)
    for n, w in folded.items():
        if not w:
            continue
        if is_person[n]:
            people_blocks[tuple(x[0] for x in w)].append(n)
        elif len(" ".join(w)) >= 10:
            org_blocks[w[0][0]].append(n)
    for group in people_blocks.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if uf.find(a) != uf.find(b) and all(
                    _same_word(x, y) for x, y in zip(folded[a], folded[b], strict=True)
                ):
                    uf.union(a, b)
    for group in org_blocks.values():
        if len(group) < 2:
            continue
        texts = [" ".join(folded[n]) for n in group]
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=92)
        for i, j in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
            uf.union(group[i], group[j])

    members: dict[str, list[str]] = defaultdict(list)
    for n in info:
        members[uf.find(n)].append(n)
    out: dict[str, str] = {}
    for group in members.values():
        best = sorted(group, key=lambda n: (-info[n].n_mentions, -len(n), n))[0]
        if any(is_person[n] for n in group) and any(len(folded[n]) >= 2 for n in group):
            # a person is named by a full name, never by the surname alone
            best = sorted(
                (n for n in group if len(folded[n]) >= 2),
                key=lambda n: (-info[n].n_mentions, -len(n), n),
            )[0]
        for n in group:
            out[n] = best
    return out


def refresh_actor_names(con) -> dict[str, int]:
    """Recompute ``raw.actor_names`` from every actor name in ``raw.actor_mentions``.

    Skipped when neither the names (with their types and counts) nor this code
    changed since the last time: a run with nothing new does no resolving."""
    fingerprint, count = build_state.actor_names_fingerprint(
        con, code_version("extract/actor_names.py")
    )
    if build_state.stored(con, "actor_names") == fingerprint:
        return {"names": count, "skipped": 1}
    rows = con.execute(
        "select canonical_name, mode(actor_type), count(*) from raw.actor_mentions group by 1"
    ).fetchall()
    mapping = resolve([Name(n, t or "other", int(k)) for n, t, k in rows])
    con.begin()
    try:
        con.execute("delete from raw.actor_names")
        insert_many(con, "raw.actor_names", 2, (list(item) for item in sorted(mapping.items())))
        build_state.record(con, "actor_names", fingerprint)
        con.commit()
    except Exception:
        rollback(con)
        raise
    return {"names": len(mapping), "merged": sum(1 for a, b in mapping.items() if a != b)}
