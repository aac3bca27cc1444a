"""Names in a list of organisations, and parties written with a lower-case 'party'.

A list such as 'A, B Bank, C and the D Bank' names things of one kind: when
two or more of its items are organisations the article already knows and no
item is a known actor of another kind (a country, a person), the other items
are organisations of the same kind, whether or not the model tagged them
('Rossiya'-like one-word bank names the model calls a place or a person).
The same holds for a pair, 'A and B', when one of the two is a known company
or organisation and the model does not call the other a person or a place.

'the Green party', 'the Labour party', 'the UNITY bloc': a capitalised name
before a lower-case 'party', 'bloc', 'alliance' or 'coalition' names the group
(a known actor's name keeps it: 'the BRICS bloc' is BRICS); 'the Labor
government' names the party that forms it; "the Prime Minister's Office" is an
organisation.
"""

from __future__ import annotations

import re

_WORD = r"[A-Z](?:[\w'’&-]|\.(?=\w))*"  # a dot only inside a word ('U.S'), never a full stop
_ITEM = rf"(?:the\s+)?{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
LIST = re.compile(rf"{_ITEM}(?:,[ \t]+{_ITEM}){{1,}},?[ \t]+(?:and|or)[ \t]+{_ITEM}")
PARTY = re.compile(
    r"(?<![\w'’-])((?:(?:[A-Z][a-z]+|[A-Z]{2,})\s+){1,3})(party|bloc|alliance|coalition)\b"
)
# 'the Labor government', 'the Likud government': a party named by the government it forms.
GOVERNMENT = re.compile(r"\b([A-Z][a-z]+)\s+government\b")
# 'the Prime Minister's Office', "the President's Office": an office named after its holder.
OFFICE = re.compile(
    r"\b(?:Prime Minister|President|Vice President|Chancellor|Premier|Governor|Mayor)['’]s Office\b"
)


def list_items(body: str, limit: int) -> list[list[str]]:
    """The items (without a leading 'the') of every comma list of capitalised names."""
    out = []
    for m in LIST.finditer(body, 0, limit):
        parts = re.split(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m.group(0))
        items = [re.sub(r"^the\s+", "", p.strip()) for p in parts if p.strip()]
        if len(items) >= 3:
            out.append(items)
    return out


PAIR = re.compile(rf"({_ITEM})[ \t]+and[ \t]+(?:[A-Z][\w-]*['’]s[ \t]+)?({_ITEM})")


def pairs(body: str, limit: int) -> list[tuple[tuple[str, int, int], tuple[str, int, int]]]:
    """'A and B', 'A and Norway's B': the two names with their spans (a 'the' dropped)."""
    out = []
    for m in PAIR.finditer(body, 0, limit):
        ends = []
        for g in (1, 2):
            text, start = m.group(g), m.start(g)
            if text.startswith("the "):
                text, start = text[4:], start + 4
            ends.append((text, start, m.end(g)))
        out.append((ends[0], ends[1]))
    return out


def lower_case_parties(body: str, limit: int) -> list[tuple[str, str, str]]:
    """(surface, name, head) for 'Labour party'-like mentions: ('Green party', 'Green
    Party', 'party'), ('UNITY bloc', 'UNITY bloc', 'bloc')."""
    out = []
    for m in PARTY.finditer(body, 0, limit):
        name = m.group(1).strip()
        out.append((m.group(0), name + " Party" if m.group(2) == "party" else m.group(0), m.group(2)))
    return out


def government_parties(body: str, limit: int) -> list[tuple[str, int, int]]:
    """(word, start, end) of the capitalised word before 'government'."""
    return [(m.group(1), m.start(1), m.end(1)) for m in GOVERNMENT.finditer(body, 0, limit)]


def offices(body: str, limit: int) -> list[str]:
    return [m.group(0) for m in OFFICE.finditer(body, 0, limit)]
