"""The article's own date, read from the lines above a text dump's body.

Text dumps state it in many shapes: a date line ('March 3, 2021', 'Updated:
2019-04-02 10:15', '12/19/2024'), a date beside the agency or time
('Xinhua) 08:11, May 31, 2024'), or a date glued to the start of the first
line by the scraper (' date 2022-06-30 WASHINGTON (WE) The ...'). Dates with
a month name or in ISO order are read by the shared patterns
(:func:`patterns.parse_date`); all-numeric day/month orders by dateutil, which
settles the order from the values when one part exceeds 12 and otherwise reads
slashed dates month first (as US sites write them) and dotted ones day first.

Only a full date (day, month and year) counts: a dateline's 'May 21' alone
does not say the year, and a year-less guess would date every relative
expression in the body wrongly. Lines further down the page (related-post
rails, copyright lines) are never read.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as du_parser

from .patterns import parse_date

# How far above the body a date line may sit, and how long it may be: a
# long line up there is a teaser of another story, whose dates are not ours.
MAX_LINES_ABOVE = 40
MAX_WORDS = 25

_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
_NOT_OURS = re.compile(r"©|\bcopyright\b|\ball rights reserved\b|\bborn\b|\bbirth", re.I)
# A date the scraper glued in front of the first body line, optionally labelled;
# it must open the line (a sentence opening 'On March 3, 2021, ...' is body).
_LABEL = re.compile(r"^\W{0,3}(?:(?:date|published|posted|updated|last updated)\b\s*(?:on)?\s*:?\s*)?", re.I)
_DATE_START = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)",
    re.I,
)
HEAD_CHARS = 32
_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# The glued prefix as a whole (label, date, time), so the body can start after it.
_GLUED = re.compile(
    r"^\W{0,3}(?:(?:date|published|posted|updated|last updated)\b\s*(?:on)?\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}|{_MON}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MON},?\s+\d{{4}})"
    r"(?:,?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?\s+",
    re.I,
)


def _numeric_date(text: str) -> dt.date | None:
    m = _NUMERIC.search(text)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(3))
    try:
        # Dotted dates are day first where they are written (03.04.2021 = 3 April).
        d = du_parser.parse(m.group(0), dayfirst=b <= 12 and (a > 12 or m.group(2) == "."))
    except (ValueError, OverflowError):
        return None
    return d.date()


def date_in(text: str) -> dt.date | None:
    """The first full date stated in ``text`` (named month, ISO or numeric), if any."""
    return parse_date(text) or _numeric_date(text)


def leading_date(text: str) -> dt.date | None:
    """A full date at the very start of a line ('date 2022-06-30 WASHINGTON ...')."""
    head = _LABEL.sub("", text, count=1)
    if not _DATE_START.match(head):
        return None
    return date_in(head[:HEAD_CHARS])


def _plausible(d: dt.date | None, today: dt.date) -> bool:
    return d is not None and 1900 <= d.year and d <= today + dt.timedelta(days=2)


def published_date(above: list[str], first_body: str | None,
                   today: dt.date | None = None) -> dt.date | None:
    """The article's date from the lines above its body, else from the body's first line.

    ``above``: the page's lines above the first body line, top down.
    """
    today = today or dt.date.today()
    for text in above[-MAX_LINES_ABOVE:]:
        if _NOT_OURS.search(text):
            continue
        d = date_in(text) if len(text.split()) <= MAX_WORDS else leading_date(text)
        if _plausible(d, today):
            return d
    if first_body:
        d = leading_date(first_body)
        if _plausible(d, today):
            return d
    return None


def glued_prefix_end(text: str) -> int:
    """Length of a date glued in front of a line's text (0 when there is none).

    Only when text follows on the same line: a line that is only a date is a
    date line, handled as a whole.
    """
    m = _GLUED.match(text)
    if not m or m.end() >= len(text) or leading_date(text) is None:
        return 0
    return m.end()
