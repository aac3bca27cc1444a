"""Extraction: claims, actors, figures and events from a cleaned article body.

Entry point: :func:`extract_article`. First version: sentences only.
"""

from __future__ import annotations

import datetime as dt
import re

from ..records import Claim, Extraction

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def extract_article(
    body_text: str, *, published_date: dt.date | None = None, truncated_from: int | None = None
) -> Extraction:
    end = truncated_from if truncated_from is not None else len(body_text)
    claims = []
    for m in _SENTENCE.finditer(body_text, 0, end):
        text = m.group(0)
        start = m.start() + (len(text) - len(text.lstrip()))
        stop = m.end() - (len(text) - len(text.rstrip()))
        if stop - start > 20:
            claims.append(Claim(start, stop, body_text[start:stop]))
    return Extraction(claims=tuple(claims))
