"""HTML pages: trafilatura for body and metadata, then line-level post-cleaning."""

from __future__ import annotations

from .lines import WORD, Page

# favor_precision scores better on the benchmark than the default; when it
# keeps almost nothing (a page it misreads), the default extraction is used.
TRAFILATURA_OPTIONS = dict(include_comments=False, favor_precision=True)
FALLBACK_OPTIONS = dict(include_comments=False)
MIN_WORDS = 100  # below this, try the fallback ...
FALLBACK_GAIN = 3.0  # ... and take it when it is this many times longer


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
    """Label the headline trafilatura sometimes repeats at the top of its text 'header'.

    (The other line filters once tried here, on list tails and furniture lines, were
    left off when tuned on the benchmark: trafilatura already chose the body.)
    """
    meta = meta or {}
    title = _key(meta.get("title"))
    for i, ln in enumerate(page.lines[:2]):
        if ln.key and ln.key == title:
            labels[i] = "header"
