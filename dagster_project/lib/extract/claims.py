"""How a sentence asserts: asserted | attributed | hedged | forecast | negated."""

from __future__ import annotations

import re

NEGATED = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|refuted|refutes|dismissed\s+(?:claims|reports)|"
    r"refused\s+to|refuses\s+to|never\s+\w+ed|did\s+not|does\s+not|do\s+not|has\s+not|have\s+not|had\s+not|"
    r"is\s+not|are\s+not|was\s+not|were\s+not|didn[’']t|doesn[’']t|hasn[’']t|haven[’']t|isn[’']t|aren[’']t|"
    r"wasn[’']t|weren[’']t|no\s+longer)\b",
    re.I,
)
HEDGED = re.compile(
    r"\b(?:reportedly|allegedly|alleged|purportedly|supposedly|presumably|apparently|"
    r"is\s+(?:believed|thought|said|reported|understood)\s+to|are\s+(?:believed|thought|said|reported)\s+to|"
    r"reports\s+(?:have\s+)?(?:suggested|suggest|say|said|indicate)|rumou?red|unconfirmed|may\s+have|"
    r"might\s+have|could\s+have|it\s+is\s+(?:believed|thought|alleged)|seems?\s+to|appears?\s+to)\b",
    re.I,
)
FORECAST = re.compile(
    r"\b(?:predicted|predicts|predict|forecasts?|forecasted|projected|expects?|expected\s+to|"
    r"pledged\s+to|pledges\s+to|promised\s+to|promises\s+to|plans?\s+to|planned\s+to|planning\s+to|"
    r"intends?\s+to|aims?\s+to|is\s+negotiating|are\s+negotiating|will|would\s+grow|is\s+likely\s+to|"
    r"are\s+likely\s+to|likely\s+to|unlikely\s+to|set\s+to|going\s+to|is\s+to\s+be|in\s+the\s+future|"
    r"could\s+help|is\s+poised\s+to|prospects?)\b",
    re.I,
)
SAY_VERBS = (
    r"said|says|stated|states|told|noted|notes|claimed|claims|argued|argues|warned|warns|"
    r"announced|announces|added|explained|insisted|stressed|emphasized|emphasised|"
    r"pointed\s+out|acknowledged|reported|wrote|declared|asserted|confirmed|suggested|"
    r"according\s+to"
)
ACCORDING = re.compile(r"\baccording\s+to\s+(?P<src>(?:the\s+)?[^,.;]{2,60}?)(?=[,.;]|$)", re.I)
SAID_BY = re.compile(
    rf"(?P<src>(?:[A-Z][\w’'.-]+(?:\s+(?:of\s+the\s+|of\s+|the\s+)?[A-Z][\w’'.-]+){{0,5}})|"
    rf"(?:(?:independent|senior|an?|the|some)\s+)?[a-z]+\s+(?:specialists?|analysts?|officials?|experts?|sources?|diplomats?|media))"
    rf"(?:,[^,]{{3,80}},)?\s+(?:has\s+|have\s+|had\s+)?(?:{SAY_VERBS})\b"
)
SAID_AFTER = re.compile(rf"[,”\"]\s*(?:{SAY_VERBS})\s+(?P<src>[^,.;]{{3,80}}?)(?=[,.;]|$)")
# A saying verb as a word: what SAID_AFTER and SAID_BY both need (SAID_BY, tried at
# every capitalised word, is slow; most sentences have no such verb).
SAYS = re.compile(rf"\b(?:{SAY_VERBS})\b")


def assertion_of(text: str) -> tuple[str, str | None]:
    """Classify one sentence; returns (assertion, attributed_to)."""
    source = None
    m = ACCORDING.search(text)
    if m:
        source = m.group("src").strip()
    elif SAYS.search(text):
        m = SAID_AFTER.search(text)
        if m:
            source = m.group("src").strip()
        else:
            m = SAID_BY.search(text)
            if m and not re.fullmatch(
                r"(?:It|This|That|The|These|Those|He|She|They)", m.group("src")
            ):
                source = m.group("src").strip()
    if re.search(
        r"\b(?:denied|denies|deny|denying|refuted|rejected\s+(?:claims|reports|allegations))\b",
        text,
        re.I,
    ):
        return "negated", source
    if HEDGED.search(text):
        return "hedged", source
    if FORECAST.search(text):
        return "forecast", source
    if source:
        return "attributed", source
    if NEGATED.search(text):
        return "negated", None
    return "asserted", None
