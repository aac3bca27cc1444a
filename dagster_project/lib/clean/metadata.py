"""Title, subtitle, byline, date and site name from the lines above a text dump's body."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import patterns as P
from .lines import Line
from .postclean import looks_like_name
from .pubdate import glued_prefix_end, published_date

MAX_HEADER_LINES = 8
_TITLE_SITE = re.compile(r"^(?P<title>.{15,}?)\s+(?:[|–—]|-)\s+(?P<site>[^|–—-]{2,40})$")


@dataclass
class Header:
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    published: dt.date | None = None
    site_name: str | None = None
    used: set[int] = field(default_factory=set)  # line indices consumed as metadata


def _is_heading(ln: Line) -> bool:
    t = ln.text
    if not 2 <= ln.n <= 35:
        return False
    if t.endswith((".", ",", ";")) and ln.sentences >= 2:
        return False
    if P.DATE_ONLY.match(t) or P.PHOTO_CREDIT.search(t) or P.SOCIAL.match(t) or P.NAV_WORDS.match(t):
        return False
    return any(c.isalpha() for c in t)


def extract_header(lines: list[Line], body_start: int, labels: list[str | None]) -> Header:
    h = Header()
    # A lede the scraper glued a date to is not navigation: it opens the body.
    k = body_start - 1
    if 0 <= k < len(lines) and labels[k] in ("navigation", "header"):
        cut = glued_prefix_end(lines[k].text)
        rest = lines[k].text[cut:]
        if cut and lines[k].ends_sentence and len(rest.split()) >= 12 and rest[:1].isupper():
            labels[k] = None
            body_start = k
    # The header block: contiguous non-body lines just above the body.
    block: list[int] = []
    k = body_start - 1
    while k >= 0 and len(block) < MAX_HEADER_LINES:
        ln = lines[k]
        if labels[k] is None:
            break
        if ln.n <= 1 and not P.DATE_ONLY.match(ln.text):
            break
        if labels[k] not in ("navigation", "header", "photo_credit", "social", None):
            break
        block.append(k)
        k -= 1
    block.reverse()
    for i in block:
        ln = lines[i]
        t = ln.text
        if h.published is None and ln.n <= 14 and (P.DATE_ONLY.match(t) or (ln.n <= 10 and P.parse_date(t))):
            d = P.parse_date(t)
            if d:
                h.published = d
                h.used.add(i)
                continue
        m = P.BYLINE.match(t)
        if h.author is None and m and ln.n <= 8 and looks_like_name(m.group("name")):
            h.author = m.group("name").strip()
            h.used.add(i)
            continue
    # A bare name right next to the date line is the byline.
    if h.author is None and h.published is not None:
        for i in block:
            if i in h.used:
                continue
            near_date = any(j in h.used and abs(j - i) == 1 for j in block)
            if near_date and looks_like_name(lines[i].text):
                h.author = lines[i].text.strip()
                h.used.add(i)
                break
    # No date line next to the title: any date line higher up, or a date glued
    # to the front of the first body line.
    if h.published is None:
        first = lines[body_start].text if body_start < len(lines) else None
        h.published = published_date([ln.text for ln in lines[:body_start]], first)
    # A date glued to the front of the first body line is header, not body: the
    # line starts after it (its date is in ``published`` when none came earlier).
    if body_start < len(lines) and labels[body_start] is None:
        ln = lines[body_start]
        cut = glued_prefix_end(ln.text)
        if cut:
            ln.text = ln.text[cut:]
            ln.start += cut
            ln.tokens = None
    heads = [i for i in block if i not in h.used and _is_heading(lines[i])
             and labels[i] in ("navigation", "header")]
    if heads:
        t = heads[0]
        h.title = lines[t].text
        h.used.add(t)
        if len(heads) > 1 and heads[1] == t + 1:
            h.subtitle = lines[heads[1]].text
            h.used.add(heads[1])
        m = _TITLE_SITE.match(h.title)
        if m and len(m.group("site").split()) <= 4:
            h.site_name = m.group("site").strip()
    return h
