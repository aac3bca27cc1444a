"""Cleaning: turn one raw page (text dump or HTML) into an article body plus metadata.

Entry point: :func:`clean_document`.

- Text dumps (``fmt='text'``): :mod:`.text` finds the body region from line
  features alone; :mod:`.metadata` reads title/byline/date above it.
- HTML (``fmt='html'``): trafilatura extracts body and metadata; its
  paragraphs then go through the same post-cleaning.
- :mod:`.postclean` (both): generated author profiles, repeated paragraphs,
  closing author bio (-> author), end-of-body site blurb, truncated ending.

Every line that is not body and not used as metadata is returned in
``removed_blocks`` with its reason and span.
"""

from __future__ import annotations

import re
from functools import partial

from ..records import REMOVAL_REASONS, CleanedArticle, RemovedBlock
from . import model as _model
from .lines import Page, split_page
from .metadata import extract_header
from .postclean import postclean
from .text import classify, fake_profile_lines

__all__ = ["clean_document", "clean_text", "clean_html"]


def clean_document(raw_text: str, fmt: str) -> CleanedArticle:
    """Clean one decoded page; ``fmt`` is 'text' or 'html'."""
    if fmt == "html":
        return clean_html(raw_text)
    return clean_text(raw_text)


def _assemble(page: Page, labels: list[str | None]):
    body_parts: list[str] = []
    body_index: dict[int, int] = {}
    pos = 0
    for i, ln in enumerate(page.lines):
        if labels[i] is None:
            if body_parts:
                pos += 2
            body_index[i] = pos
            body_parts.append(ln.text)
            pos += len(ln.text)
    return "\n\n".join(body_parts), body_index


_REASONS = frozenset(REMOVAL_REASONS)


def _blocks(page: Page, labels: list[str | None]):
    reasons = _REASONS
    new = tuple.__new__  # (RemovedBlock's own __new__ does just this, through a Python call)
    return tuple([
        new(RemovedBlock, (lab if lab in reasons else "other", ln.text, ln.start, ln.end))
        for ln, lab in zip(page.lines, labels)
        if lab is not None
    ])


class _Shipped:
    """The default line model: the shipped ``line_model.json`` (see :mod:`.model`)."""

    __slots__ = ()


SHIPPED = _Shipped()


def clean_text(raw_text: str, *, line_model: dict | None | _Shipped = SHIPPED) -> CleanedArticle:
    """Clean a text dump. ``line_model``: the learned line scorer blended into the body
    region search (as :func:`.model.load_model` returns it), None for the heuristic
    alone; by default the shipped one (itself None when missing, stale or disabled)."""
    page = split_page(raw_text)
    if not page.lines:
        return CleanedArticle(body_text="")
    model = _model.load_model() if line_model is SHIPPED else line_model
    res = classify(page, score_fn=None if model is None else partial(_model.region_scores, model=model))
    labels = res.labels
    bio_author, trunc_line = postclean(page.lines, labels, lows=page.lows)
    first_body = next((i for i, lab in enumerate(labels) if lab is None), res.region[0])
    header = extract_header(page.lines, first_body, labels)
    for i in header.used:
        labels[i] = "header"
    body, index = _assemble(page, labels)
    author = header.author or bio_author
    return CleanedArticle(
        body_text=body,
        title=header.title,
        subtitle=header.subtitle,
        author=author,
        published_date=header.published,
        site_name=header.site_name or _site_name(page, labels),
        removed_blocks=_blocks(page, labels),
        truncated_from=_truncated_from(page, index, trunc_line),
    )


_SENTENCE_BREAK = re.compile(r"[.!?。！？…][\"'”’»)\]]*\s+")


def _truncated_from(page: Page, index: dict[int, int], line: int | None) -> int | None:
    """Body offset of the unfinished last sentence of the final paragraph."""
    if line is None or line not in index:
        return None
    text = page.lines[line].text
    cut = 0
    for m in _SENTENCE_BREAK.finditer(text):
        cut = m.end()
    return index[line] + cut


def _site_name(page: Page, labels: list[str | None]) -> str | None:
    for i, lab in enumerate(labels):
        if lab == "site_name":
            return page.lines[i].text
    return None


def clean_html(html: str) -> CleanedArticle:
    from .html import extract_html

    return _post_html(extract_html(html))


def _post_html(doc: dict) -> CleanedArticle:
    """Post-clean trafilatura's output (``doc``: its text and metadata)."""
    from .html import html_line_filter

    text = doc.get("text") or ""
    page = split_page(text)
    labels: list[str | None] = [None] * len(page.lines)
    for i in fake_profile_lines(page.lines):
        labels[i] = "fake_author_profile"
    html_line_filter(page, labels, doc)
    bio_author, trunc_line = postclean(page.lines, labels, html=True, lows=page.lows)
    if not any(lab is None for lab in labels):  # never empty a page
        labels = [None if lab != "fake_author_profile" else lab for lab in labels]
    body, index = _assemble(page, labels)
    author = doc.get("author")
    if author and len(author) > 80:
        author = None
    date = doc.get("date")
    if isinstance(date, str):
        date = _iso_date(date)
    return CleanedArticle(
        body_text=body,
        title=doc.get("title"),
        author=author or bio_author,
        published_date=date,
        site_name=doc.get("sitename"),
        removed_blocks=_blocks(page, labels),
        truncated_from=_truncated_from(page, index, trunc_line),
    )


def _iso_date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
