"""Cleaning: turn one raw page (text dump or HTML) into an article body plus metadata.

Entry point: :func:`clean_document`. First version: HTML through trafilatura,
text dumps kept line by line; the boilerplate rules live in later modules.
"""

from __future__ import annotations

import trafilatura

from ..records import CleanedArticle


def clean_document(raw_text: str, fmt: str) -> CleanedArticle:
    """Clean one decoded page; ``fmt`` is 'text' or 'html'."""
    if fmt == "html":
        body = trafilatura.extract(raw_text, include_comments=False) or ""
        return CleanedArticle(body_text=body)
    lines = [ln.strip() for ln in raw_text.splitlines() if ln.strip()]
    return CleanedArticle(body_text="\n\n".join(lines))
