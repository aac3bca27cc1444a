"""A state's institutions, named in any of the ways news writes them.

'the Turkish central bank', "Russia's Central Bank", 'the Central Bank of
Russia' and 'Russian Finance Ministry' / 'the Ministry of Finance of Russia'
are one institution each: the state (a country name or its adjective, from the
actor lexicon) plus a head from a fixed list of state bodies. Each is given one
canonical name, '<Head> of <Country>', so the same body read in two articles
gets the same name.

Within an article, the head alone ('the Central Bank said', 'the Defense
Ministry') means the one institution of that kind the article names with its
state; with none or several, it stays unresolved (never guessed).
Lower-case generic mentions ('the central bank') are not recorded: the same
generic words name a different bank in every article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_S = r"\s+"
# Canonical head -> the ways it is written (after the state's adjective, or alone).
# 'Defense Ministry', 'Ministry of Defence', 'defence ministry' are one head.
_MINISTRIES = {
    "Defence": r"defen[cs]e",
    "Finance": r"finance",
    "Foreign Affairs": r"foreign(?:\s+affairs)?",
    "Interior": r"interior|home\s+affairs",
    "Economy": r"econom(?:y|ic\s+development)",
    "Trade": r"trade|commerce",
    "Energy": r"energy",
    "Health": r"health",
    "Justice": r"justice",
    "External Affairs": r"external\s+affairs",
}
HEADS: dict[str, str] = {
    "Central Bank": r"central\s+bank",
    "Parliament": r"parliament",
    "Supreme Court": r"supreme\s+court",
    "Constitutional Court": r"constitutional\s+court",
    "Election Commission": r"elect(?:ion|oral)\s+commission",
    "Air Force": r"air\s+force",
    "Navy": r"navy",
    "Army": r"army",
    "Coast Guard": r"coast\s+guard",
    "Customs Service": r"customs\s+(?:service|administration)",
    "Statistics Office": r"statistics\s+(?:office|agency|bureau)",
}
# Heads that name a state body only when written as a name ('the Polish Army').
FORMAL_ONLY = {"Air Force", "Navy", "Army", "Coast Guard", "Parliament"}
for _name, _rx in _MINISTRIES.items():
    HEADS[f"Ministry of {_name}"] = rf"(?:{_rx})\s+ministry|ministry\s+of\s+(?:the\s+)?(?:{_rx})"


def _title_case(text: str) -> bool:
    """Every content word capitalised: 'Defense Ministry', 'Ministry of Defence'."""
    return all(w[:1].isupper() for w in text.split() if w.lower() not in {"of", "the", "and"})


def _with_the(country: str) -> str:
    if re.match(r"United\s|.*\b(?:Republic|Kingdom|Emirates|States|Islands)\b", country) or (
        country.endswith("s") and " " not in country
    ):
        return f"the {country}"
    return country


def canonical(head: str, country: str) -> str:
    return f"{head} of {_with_the(country)}"


@dataclass(frozen=True)
class Institution:
    surface: str  # the words to record as the mention (a key of the article's lexicon)
    canonical: str
    head: str


def _head_alternation() -> str:
    return "|".join(f"(?P<h{i}>{rx})" for i, rx in enumerate(HEADS.values()))


_HEAD_NAMES = list(HEADS)
# One named group per head, none inside them: a match's ``lastgroup`` says its head.
_HEAD_RX = re.compile(rf"\b(?:{_head_alternation()})\b", re.IGNORECASE)


def find_institutions(body: str, limit: int, states: dict[str, str]) -> list[Institution]:
    """The article's institutions named with their state.

    ``states`` maps each surface form of a state (names and adjectives, e.g.
    'Turkey', 'Turkish') to its canonical country name."""
    return scan_institutions(body, limit, states)[0]


def scan_institutions(
    body: str, limit: int, states: dict[str, str]
) -> tuple[list[Institution], dict[str, str]]:
    """One pass over ``body[:limit]``: the institutions named with their state
    (:func:`find_institutions`), and the capitalised heads written alone ('the
    Central Bank said') -> their head name."""
    found: list[Institution] = []
    generic: dict[str, str] = {}
    for m in _HEAD_RX.finditer(body, 0, limit):
        head = _HEAD_NAMES[int(m.lastgroup[1:])]
        text = m.group(0)
        if _title_case(text) and text[:1].isupper():
            generic[re.sub(r"\s+", " ", text)] = head
        inst = _institution_at(body, m, head, states)
        if inst is not None:
            found.append(inst)
    return found, generic


def _institution_at(
    body: str, m: re.Match, head: str, states: dict[str, str]
) -> Institution | None:
    """The institution whose head ``m`` matched, when its state is named with it."""
    text = m.group(0)
    if head in FORMAL_ONLY and not _title_case(text):
        return None  # 'Polish troops and the army': a force, named only when capitalised
    before = body[max(0, m.start() - 60) : m.start()]
    after = body[m.end() : m.end() + 60]
    # '<Adjective|Country>['s] <head>': 'Turkish central bank', "Russia's Central Bank".
    pre = re.search(r"([A-Z][\w.-]*(?:\s[A-Z][\w.-]*){0,3}?)(['’]s)?\s$", before)
    if pre:
        # The longest tail of the capitalised run that is a state ('the New Zealand').
        toks = pre.group(1).split()
        for k in range(len(toks)):
            cand = " ".join(toks[k:])
            if cand in states:
                country = states[cand]
                if pre.group(2):  # possessive: the state stays its own mention
                    if _title_case(text):
                        return Institution(text, canonical(head, country), head)
                    return None
                return Institution(f"{cand} {text}", canonical(head, country), head)
    # '<Head> of [the] <Country>': 'Central Bank of Russia', 'Air Force of the UAE'.
    if _title_case(text):
        post = re.match(r"\s+of\s+(?:the\s+)?([A-Z][\w.’'-]*(?:\s[A-Z][\w.’'-]*){0,3})", after)
        if post:
            toks = post.group(1).split()
            for k in range(len(toks), 0, -1):
                cand = " ".join(toks[:k])
                if cand in states:
                    end = m.end() + after.index(cand, 0) + len(cand)
                    return Institution(body[m.start() : end], canonical(head, states[cand]), head)
    return None
