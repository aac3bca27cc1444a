"""HTML pages: trafilatura for body and metadata, then line-level post-cleaning."""

from __future__ import annotations

from .lines import WORD, Page
from .text import furniture, is_prose

# favor_precision scores better on the benchmark than the default; when it
# keeps almost nothing (a page it misreads), the default extraction is used.
TRAFILATURA_OPTIONS = dict(include_comments=False, favor_precision=True)
FALLBACK_OPTIONS = dict(include_comments=False)
MIN_WORDS = 100  # below this, try the fallback ...
FALLBACK_GAIN = 3.0  # ... and take it when it is this many times longer

# Which post-cleaning steps run on trafilatura's output (benchmark-tuned).
VARIANT = {"title"}

# Furniture reasons safe to drop from trafilatura's output (it already chose the body).
_HTML_DROP = {"photo_credit", "social", "advertising", "related_links", "recent_posts",
              "newsletter", "cookie_notice", "table_of_contents", "comments", "navigation", "header"}


def _bare(html: str, options: dict) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, **options)
    if doc is None:
        return {}
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def choose(precise: dict, fallback_fn) -> dict:
    n = len(WORD.findall(precise.get("text") or ""))
    if n >= MIN_WORDS:
        return precise
    other = fallback_fn()
    if len(WORD.findall(other.get("text") or "")) >= FALLBACK_GAIN * max(n, 1):
        return other
    return precise


def extract_html(html: str) -> dict:
    return choose(_bare(html, TRAFILATURA_OPTIONS), lambda: _bare(html, FALLBACK_OPTIONS))


def _key(text: str | None) -> str:
    return " ".join(WORD.findall(text or "")).lower()


def html_line_filter(page: Page, labels: list[str | None], meta: dict | None = None) -> None:
    meta = meta or {}
    lines = page.lines
    if "title" in VARIANT:
        # trafilatura sometimes repeats the headline and standfirst at the top.
        title = _key(meta.get("title"))
        for i, ln in enumerate(lines[:2]):
            if ln.key and ln.key == title:
                labels[i] = "header"
    if "tail" in VARIANT:
        # Trailing list items / short lines after the last prose paragraph.
        last_prose = max((i for i, ln in enumerate(lines) if is_prose(ln, page)), default=-1)
        if last_prose >= 0:
            for i in range(last_prose + 1, len(lines)):
                if labels[i] is None and (lines[i].text.startswith(("- ", "• ", "* ")) or lines[i].n < 8):
                    labels[i] = "related_links"
    if "furn" in VARIANT:
        for i, ln in enumerate(lines):
            if labels[i] is None:
                f = furniture(ln)
                if f in _HTML_DROP:
                    labels[i] = f
