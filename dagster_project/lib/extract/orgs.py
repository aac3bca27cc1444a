"""Organisations, companies and media the model names, beyond the alias table.

The spaCy model tags many organisations (energy majors, banks, manufacturers,
news outlets) whose names carry no organisation head word ('QatarEnergy',
'Texas Instruments', 'NDTV'), and tags some people as organisations or places
('Estonian PM Kaja Kallas' as a work of art). This module decides, from the
shape of the proposed span and the characters around it, whether it is an
actor and of what type; :mod:`.actors` stays the only place that records one.

Agency credits are not actors: a name in parentheses on its own ('(Xinhua)'),
or joined to a photographer by a slash ('Jane Roe/Agency'), is a credit.
"""

from __future__ import annotations

import re

COMPANY_SUFFIX = re.compile(
    r"\b(?:Co|Corp|Corporation|Inc|Incorporated|Ltd|Limited|LLC|PLC|plc|AG|SA|NV|SE|GmbH|Holdings?"
    r"|Group|Industries|Instruments|Semiconductors?|Motors|Airlines|Airways|Energy|Petroleum|Oil"
    r"|Gas|Steel|Electronics|Technologies|Systems|Pharmaceuticals?|Bank|Capital|Partners|Defen[cs]e"
    r"|Aerospace|Shipbuilding|Heavy|Chemicals?|Telecom|Communications)\.?$"
)
MEDIA_WORDS = re.compile(
    r"\b(?:News|Times|Journal|Post|Herald|Tribune|Gazette|Pravda|Radio|TV|Television|Broadcasting"
    r"|Press|Agency|Telegraph|Guardian|Economist|Bloomberg|Reuters|Xinhua|TASS|Interfax|Anadolu"
    r"|Economics)\b"
)
# Words the model tags as organisations that are not one: events, programmes,
# markets, generic bodies ('Parliament' alone is kept by the alias table).
NOT_ORG_WORDS = {
    "covid", "brexit", "internet", "government", "parliament", "cabinet", "ministry", "army",
    "navy", "police", "court", "congress", "senate", "treasury", "exchange", "market", "markets",
    "index", "stock", "stocks", "shares", "summit", "forum", "plan", "programme", "program",
    "project", "initiative", "package", "deal", "agreement", "strategy", "policy", "act", "bill",
    "law", "report", "statement", "declaration", "committee", "council", "board", "office",
}
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,6}\+?")
_NAME_TOKEN = re.compile(r"(?:[A-Z][\w’'&.-]*|[A-Z]{2,}|of|for|and|the|de|&)")


def credit_context(before: str, after: str) -> bool:
    """True when the span is an agency/photo credit rather than a sentence's actor."""
    b, a = before.rstrip(" "), after.lstrip(" ")
    if b.endswith("(") and a.startswith(")"):
        return True
    return b.endswith("/") or a.startswith("/")


def org_type(name: str) -> str:
    """'company', 'media' or 'organization' from the name's own words."""
    if MEDIA_WORDS.search(name):
        return "media"
    if COMPANY_SUFFIX.search(name) or re.fullmatch(r"[A-Z][a-z]+[A-Z]\w+", name):
        return "company"  # a suffix, or one camel-cased word ('QatarEnergy')
    return "organization"


def org_candidate(text: str, before: str, after: str) -> tuple[str, str] | None:
    """(name, actor type) for a span the model tagged ORG, or None when it is no actor."""
    name = re.sub(r"^(?:the|The)\s+", "", text.strip()).strip(" ,.;:")
    name = re.sub(r"['’]s$", "", name)
    if not name or "\n" in name or any(ch.isdigit() for ch in name) or len(name) > 60:
        return None
    if credit_context(before, after):
        return None
    words = name.split()
    if len(words) > 6 or not all(_NAME_TOKEN.fullmatch(w) for w in words):
        return None
    if not words[0][:1].isupper() or not words[-1][:1].isupper():
        return None
    if all(w.lower().strip(".") in NOT_ORG_WORDS for w in words if w[:1].isupper()):
        return None
    if len(words) == 1 and not (_ACRONYM.fullmatch(name) or len(name) >= 4):
        return None
    if re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]s", words[-1]):
        return None  # a plural acronym ('UAVs', 'MoUs') names things, not a body
    return name, org_type(name)
