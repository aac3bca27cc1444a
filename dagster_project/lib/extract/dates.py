"""Date expressions at the precision the text states.

``find_dates`` returns every date expression in a piece of text with an
EDTF-like value: '2022-07-19' (day), '2022-07' (month), '2022' (year),
'1804/1813' or '2022-10/2023-04' (range), '1980s' (decade), '16th century'
(century), 'XXXX-04-21' / 'XXXX-01' (day or month whose year is not stated).
Relative expressions ('last year', 'two months ago') are resolved against the
article's published date when there is one, and otherwise have no value.

(Over 400 lines on purpose: the date grammar, its patterns and the builder
of each pattern's value are read together when a kind of date is added.)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .numwords import WORD_NUM

_MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
YEAR = r"(?:1[0-9]{3}|20[0-9]{2}|2100)"
# Quantities in relative dates ('two years ago', 'half a year ago').
_NUMWORDS = {**WORD_NUM, "a": 1, "an": 1, "half a": 0.5, "a few": 3, "several": 3}
WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_NUM = {d.lower(): i for i, d in enumerate(calendar.day_name)}

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "month_range",
        re.compile(
            rf"\b(?:between|from)\s+(?P<m1>{MONTH})\s+(?P<y1>{YEAR})\s+(?:and|to|until)\s+(?P<m2>{MONTH})\s+(?P<y2>{YEAR})\b"
        ),
    ),
    # '2022-06-30'; '20-04-2015', '19.12.2024', '12/19/2024' (see _numeric_day for the order)
    ("iso_day", re.compile(rf"(?<![\d/.-])(?P<y>{YEAR})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?![\d/.-])")),
    (
        "numeric_day",
        re.compile(rf"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>{YEAR})(?![\d/.-])"),
    ),
    # 'from 3 to 5 March (2024)', 'March 3-5, 2024', 'between March 3 and 5'
    (
        "day_range",
        re.compile(
            rf"\b(?:(?:from|between)\s+)?(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|to|and|until)\s*"
            rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?\b"
            rf"|\b(?:(?:from|between)\s+)?(?P<m_>{MONTH})\s+(?P<d1_>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|to|and|until)\s*"
            rf"(?P<d2_>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y_>{YEAR}))?(?!\s*(?:%|percent|per\s+cent))"
        ),
    ),
    ("day", re.compile(rf"\b(?P<m>{MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR})\b")),
    (
        "day",
        re.compile(
            rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH})\s*,?\s+(?P<y>{YEAR})\b"
        ),
    ),
    (
        "day_noyear",
        re.compile(
            rf"\b(?P<m>{MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?![,\s]*\d)(?!\s*[-–]\s*\d)"
        ),
    ),
    (
        "day_noyear",
        re.compile(
            rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH})\b(?![,\s]*\d)"
        ),
    ),
    ("month", re.compile(rf"\b(?P<m>{MONTH})\s+(?:of\s+)?(?P<y>{YEAR})\b")),
    # 'in October last year': the month of the year before the article's.
    (
        "month_rel",
        re.compile(rf"\b(?P<m>{MONTH})\s+(?P<rel>last|this|next)\s+year\b", re.I),
    ),
    # 'on Thursday', 'Tuesday evening': the weekday of the article's week; not when
    # the date itself follows ('Tuesday, 25 February', 'Saturday (August 27)').
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<wd>{WEEKDAYS})\b"
            rf"(?!\s*[,(]?\s*(?:\d|{MONTH}\b))"
        ),
    ),
    (
        "century",
        re.compile(
            r"\b(?:(?P<q>early|mid|late)[-\s]+)?(?:the\s+)?(?P<c>[12]?\d)(?:st|nd|rd|th)[-\s]century\b",
            re.I,
        ),
    ),
    (
        "decade",
        re.compile(
            r"\b(?:(?P<q>early|mid|late)[-\s]+)?(?:the\s+)?(?P<y>1[0-9]{3}|20[0-9]{2})s\b", re.I
        ),
    ),
    (
        "year_range",
        re.compile(rf"\b(?P<y1>{YEAR})\s*(?:–|-|—|/)\s*(?P<y2>{YEAR}|\d{{2}})\b(?![-–]\w)"),
    ),
    (
        "year_range",
        re.compile(rf"\b(?:between|from)\s+(?P<y1>{YEAR})\s+(?:and|to|until)\s+(?P<y2>{YEAR})\b"),
    ),
    ("qual_year", re.compile(rf"\b(?P<q>early|mid|late)[-\s]+(?P<y>{YEAR})\b", re.I)),
    ("year", re.compile(rf"(?<![\w$€£.,-])(?P<y>{YEAR})(?![\w%]|,\d|\.\d)")),
    (
        "month_only",
        re.compile(
            rf"\b(?i:in|since|by|until|during|last|next|this|early|late|mid|of|from)\s+(?P<m>{MONTH})\b(?!\s+(?:\d|of\s+\d))"
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>last|this|next|past|previous|coming)\s+(?P<unit>year|month|week)\b"
            r"|\b(?P<num>half\s+a|a\s+few|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|\d+)"
            r"\s+(?P<unit2>years?|months?|weeks?|days?)\s+ago\b"
            r"|\b(?P<day>yesterday|today|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b",
            re.I,
        ),
    ),
]
# The kinds whose every pattern matches a digit (a year, a day): skipped in a text
# without one.
_DIGIT_KINDS = {"month_range", "iso_day", "numeric_day", "day_range", "day", "day_noyear",
                "month", "century", "decade", "year_range", "qual_year", "year"}
_DIGIT = re.compile(r"\d")
# Words right before a date that tell how it relates to the happening.
_PREP = re.compile(
    r"(?:(?P<prep>since|in|on|by|until|till|from|between|after|before|during|through|throughout|"
    r"as\s+of|prior\s+to|starting\s+in|starting|beginning\s+in|as\s+early\s+as|as\s+late\s+as|"
    r"following|of|at|around|circa|to)\s+(?:the\s+)?(?:(?:end|start|beginning|middle|spring|summer|autumn|fall|winter)\s+of\s+)?)$",
    re.I,
)


@dataclass(frozen=True)
class DateExpr:
    start: int
    end: int
    text: str
    value: str | None  # EDTF-like, None when unresolvable
    precision: str  # day | month | year | range | decade | century | unknown
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    qualifier: str | None = None  # early | mid | late
    prep: str | None = None  # since | in | by | ... (lower case)
    boundary: bool = False  # 'by 2030', 'prior to 2022', 'pre-2022': not when a thing happened


def _month(tok: str) -> int:
    t = tok.lower().rstrip(".")
    return _MONTH_NAMES.get(t) or _MONTH_ABBR.get(t) or _MONTH_ABBR.get(t[:3], 0)


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _infer_year(month: int, day: int | None, published: dt.date | None) -> int | None:
    """Year of a month/day without a year: the latest occurrence not after publication."""
    if published is None:
        return None
    y = published.year
    d = day or 1
    try:
        cand = dt.date(y, month, min(d, _last_day(y, month)))
    except ValueError:
        return None
    return y if cand <= published + dt.timedelta(days=31) else y - 1


def _relative(m: re.Match, published: dt.date | None):
    if published is None:
        return None, "unknown", None, None
    if m.group("day"):
        back = m.group("day").lower() in ("yesterday", "last night")
        d = published - dt.timedelta(days=1) if back else published
        return d.isoformat(), "day", d, d
    if m.group("rel"):
        rel, unit = m.group("rel").lower(), m.group("unit").lower()
        shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[rel]
        if unit == "year":
            y = published.year + shift
            return str(y), "year", dt.date(y, 1, 1), dt.date(y, 12, 31)
        if unit == "month":
            d = published + relativedelta(months=shift)
            return (
                f"{d.year:04d}-{d.month:02d}",
                "month",
                dt.date(d.year, d.month, 1),
                dt.date(d.year, d.month, _last_day(d.year, d.month)),
            )
        d = published + relativedelta(weeks=shift)
        start = d - dt.timedelta(days=d.weekday())
        return (
            f"{start.isoformat()}/{(start + dt.timedelta(days=6)).isoformat()}",
            "range",
            start,
            start + dt.timedelta(days=6),
        )
    num = m.group("num").lower()
    num = re.sub(r"\s+", " ", num)
    n = float(num) if num.isdigit() else _NUMWORDS.get(num, 1)
    unit = m.group("unit2").lower().rstrip("s")
    if unit == "year":
        d = published - relativedelta(months=int(round(n * 12)))
        if n < 1:
            return (
                f"{d.year:04d}-{d.month:02d}",
                "month",
                dt.date(d.year, d.month, 1),
                dt.date(d.year, d.month, _last_day(d.year, d.month)),
            )
        return str(d.year), "year", dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    if unit == "month":
        d = published - relativedelta(months=int(n))
        return (
            f"{d.year:04d}-{d.month:02d}",
            "month",
            dt.date(d.year, d.month, 1),
            dt.date(d.year, d.month, _last_day(d.year, d.month)),
        )
    days = int(n * (7 if unit == "week" else 1))
    d = published - dt.timedelta(days=days)
    return d.isoformat(), "day", d, d


def _build(kind: str, m: re.Match, published: dt.date | None):
    """(value, precision, start, end, qualifier) of one matched date expression, or
    None when the match is no date (an impossible day, a decade not ending in 0)."""
    g = m.groupdict()
    q = (g.get("q") or "").lower() or None
    builder = _BUILDERS.get(kind)
    built = builder(g, published) if builder else None
    return None if built is None else (*built, q)


def _day_or_none(y: int, mo: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _month_span(y: int, mo: int) -> tuple:
    return f"{y:04d}-{mo:02d}", "month", dt.date(y, mo, 1), dt.date(y, mo, _last_day(y, mo))


def _b_month_range(g, published):
    m1, m2 = _month(g["m1"]), _month(g["m2"])
    y1, y2 = int(g["y1"]), int(g["y2"])
    return (f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", "range", dt.date(y1, m1, 1),
            dt.date(y2, m2, _last_day(y2, m2)))


def _b_day(g, published):
    day = _day_or_none(int(g["y"]), _month(g["m"]), int(g["d"]))
    return None if day is None else (day.isoformat(), "day", day, day)


def _b_day_noyear(g, published):
    mo, d = _month(g["m"]), int(g["d"])
    if not 1 <= d <= 31:
        return None
    y = _infer_year(mo, d, published)
    start = _day_or_none(y, mo, d) if y is not None else None
    if start is not None:  # the article's date gives the year
        return start.isoformat(), "day", start, start
    return f"XXXX-{mo:02d}-{d:02d}", "day", start, start


def _b_iso_day(g, published):
    day = _day_or_none(int(g["y"]), int(g["mo"]), int(g["d"]))
    return None if day is None else (day.isoformat(), "day", day, day)


def _b_numeric_day(g, published):
    a, b = int(g["a"]), int(g["b"])
    # Slashed dates are month first (US usage) unless the first part cannot be a
    # month; dashed and dotted ones day first.
    day_first = a > 12 or (g["sep"] != "/" and b <= 12)
    d, mo = (a, b) if day_first else (b, a)
    day = _day_or_none(int(g["y"]), mo, d)
    return None if day is None else (day.isoformat(), "day", day, day)


def _b_day_range(g, published):
    mo = _month(g["m"] or g["m_"])
    d1, d2 = int(g["d1"] or g["d1_"]), int(g["d2"] or g["d2_"])
    y = g["y"] or g["y_"]
    y = int(y) if y else _infer_year(mo, d1, published)
    if not 1 <= d1 < d2 <= 31:
        return None
    if y is None:
        return f"XXXX-{mo:02d}-{d1:02d}/XXXX-{mo:02d}-{d2:02d}", "range", None, None
    a, b = _day_or_none(y, mo, d1), _day_or_none(y, mo, d2)
    if a is None or b is None:
        return None
    return f"{a.isoformat()}/{b.isoformat()}", "range", a, b


def _b_month_rel(g, published):
    if published is None:
        return None, "unknown", None, None
    y = published.year + {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
    return _month_span(y, _month(g["m"]))


def _b_weekday(g, published):
    if published is None:
        return None, "unknown", None, None
    wd = _WEEKDAY_NUM[g["wd"].lower()]
    rel = (g.get("rel") or "").lower()
    if rel == "next":
        d = published + dt.timedelta(days=(wd - published.weekday()) % 7 or 7)
    else:
        # News reports what happened this week: the latest such day up to the report.
        d = published - dt.timedelta(
            days=(published.weekday() - wd) % 7 or (7 if rel == "last" else 0)
        )
    return d.isoformat(), "day", d, d


def _b_month(g, published):
    return _month_span(int(g["y"]), _month(g["m"]))


def _b_month_only(g, published):
    mo = _month(g["m"])
    y = _infer_year(mo, None, published)
    if y:
        return _month_span(y, mo)
    return f"XXXX-{mo:02d}", "month", None, None


def _b_century(g, published):
    c = int(g["c"])
    return (f"{c}{_ordinal_suffix(c)} century", "century", dt.date((c - 1) * 100 + 1, 1, 1),
            dt.date(c * 100, 12, 31))


def _b_decade(g, published):
    y = int(g["y"])
    if y % 10:
        return None
    return f"{y}s", "decade", dt.date(y, 1, 1), dt.date(y + 9, 12, 31)


def _b_year_range(g, published):
    y1 = int(g["y1"])
    y2s = g["y2"]
    y2 = int(y2s) if len(y2s) == 4 else int(str(y1)[:2] + y2s)
    if y2 <= y1 or y2 - y1 > 200:
        return None
    return f"{y1}/{y2}", "range", dt.date(y1, 1, 1), dt.date(y2, 12, 31)


def _b_year(g, published):
    y = int(g["y"])
    return str(y), "year", dt.date(y, 1, 1), dt.date(y, 12, 31)


_BUILDERS = {
    "month_range": _b_month_range,
    "day": _b_day,
    "day_noyear": _b_day_noyear,
    "iso_day": _b_iso_day,
    "numeric_day": _b_numeric_day,
    "day_range": _b_day_range,
    "month_rel": _b_month_rel,
    "weekday": _b_weekday,
    "month": _b_month,
    "month_only": _b_month_only,
    "century": _b_century,
    "decade": _b_decade,
    "year_range": _b_year_range,
    "qual_year": _b_year,
    "year": _b_year,
}


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


_BOUNDARY_PREPS = {"by", "until", "till", "before", "prior to", "as of"}
# A bare year followed by one of these is a count ('1500 troops'), not a date.
_COUNT_AFTER = re.compile(r"\s+(?:[a-z]+(?:s|men|people|children))\b")


def find_dates(
    text: str, published: dt.date | None = None, start: int = 0, end: int | None = None
) -> list[DateExpr]:
    """All non-overlapping date expressions in ``text[start:end]`` (spans index ``text``)."""
    end = len(text) if end is None else end
    taken: list[tuple[int, int]] = []
    out: list[DateExpr] = []
    has_digit = _DIGIT.search(text, start, end) is not None
    for kind, pat in _PATTERNS:
        if not has_digit and kind in _DIGIT_KINDS:
            continue  # nothing to match: most sentences have no digit
        for m in pat.finditer(text, start, end):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken):
                continue
            if kind == "year":
                after = text[e : e + 20]
                if _COUNT_AFTER.match(after) and not re.match(
                    r"\s+(?:and|or|when|as|to|in|on|at|for)\b", after
                ):
                    continue
            if kind == "relative":
                built = _relative(m, published)
                if built[0] is None and published is not None:
                    continue
                value, prec, ds, de = built
                q = None
            else:
                built = _build(kind, m, published)
                if built is None:
                    continue
                value, prec, ds, de, q = built
            # Preposition (kept outside the span) and boundary markers.
            before = text[max(start, s - 40) : s]
            pm = _PREP.search(before)
            prep = re.sub(r"\s+", " ", pm.group("prep").lower()) if pm else None
            span_text = text[s:e]
            low = span_text.lower()
            if kind in ("month_range", "year_range", "month_only", "day_range") and re.match(
                r"(between|from|in|since|by|until|during|last|next|this|early|late|mid|of)\b", low
            ):
                first = low.split()[0]
                if first in ("between", "from", "in", "since", "by", "until", "during", "of"):
                    prep = first
                    s = s + len(span_text.split()[0]) + 1
                    while s < e and text[s].isspace():
                        s += 1
                    span_text = text[s:e]
            if span_text.lower().startswith("the "):
                s += 4
                span_text = text[s:e]
            boundary = prep in _BOUNDARY_PREPS or bool(
                re.search(r"fiscal\s+(?:year\s+)?$", before, re.I)
            )
            boundary = boundary or bool(re.search(r"\b(?:pre|post)-$", text[max(0, s - 5) : s]))
            taken.append(m.span())
            out.append(DateExpr(s, e, span_text, value, prec, ds, de, q, prep, boundary))
    out.sort(key=lambda d: d.start)
    return out


def period_text(d: DateExpr) -> str:
    """'since August 2022', 'by 2030', '2023' – how a figure's period is stated."""
    if d.prep in (
        "since",
        "by",
        "until",
        "between",
        "from",
        "after",
        "before",
        "prior to",
        "as of",
        "during",
    ):
        return f"{d.prep} {d.text}"
    return d.text
