"""HTML pages: trafilatura for body and metadata, then line-level post-cleaning."""

from __future__ import annotations

import datetime as dt

from .lines import Page
from .text import furniture

TRAFILATURA_OPTIONS = dict(include_comments=False, include_tables=True, deduplicate=False)

# Furniture reasons safe to drop from trafilatura's output (it already chose the body).
_HTML_DROP = {"photo_credit", "social", "advertising", "related_links", "recent_posts",
              "newsletter", "cookie_notice", "table_of_contents", "comments", "navigation", "header"}


def extract_html(html: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, **TRAFILATURA_OPTIONS)
    if doc is None:
        return {}
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    date = d.get("date")
    if isinstance(date, str):
        try:
            d["date"] = dt.date.fromisoformat(date[:10])
        except ValueError:
            d["date"] = None
    return d


def html_line_filter(page: Page, labels: list[str | None]) -> None:
    for i, ln in enumerate(page.lines):
        if labels[i] is not None:
            continue
        f = furniture(ln)
        if f in _HTML_DROP:
            labels[i] = f
